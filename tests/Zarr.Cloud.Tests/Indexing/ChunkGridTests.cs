namespace Zarr.Cloud.Tests.Indexing;

public class ChunkGridTests
{
    [Theory]
    [InlineData(new long[] { 10, 7 }, new[] { 3, 7 }, new long[] { 4, 1 })]
    [InlineData(new long[] { 9 }, new[] { 3 }, new long[] { 3 })]
    [InlineData(new long[] { 0, 5 }, new[] { 4, 2 }, new long[] { 0, 3 })]
    [InlineData(new long[] { 1, 1, 1 }, new[] { 5, 5, 5 }, new long[] { 1, 1, 1 })]
    [InlineData(new long[] { }, new int[] { }, new long[] { })]
    public void GridShape(long[] shape, int[] chunks, long[] grid)
    {
        var g = new ChunkGrid(shape, chunks);
        Assert.Equal(grid, g.GridShape);
        Assert.Equal(grid.Aggregate(1L, (a, b) => a * b), g.ChunkCount);
    }

    [Fact]
    public void RankMismatchIsRejected() => Assert.Throws<ArgumentException>(() => new ChunkGrid([1, 2], [1]));

    [Fact]
    public void ZeroDimensionalArrayHasOneChunk()
    {
        var g = new ChunkGrid([], []);
        var p = Assert.Single(g.Project([]));
        Assert.Empty(p.Coordinates);
        Assert.True(p.CoversWholeChunk);
        Assert.True(p.CoversChunkInsideArray);
    }

    [Fact]
    public void EmptySelectionsTouchNoChunk()
    {
        var g = new ChunkGrid([10, 10], [3, 3]);
        Assert.Empty(g.Project(new Selection(5..5).Resolve(g.Shape)));
        Assert.Empty(new ChunkGrid([0, 10], [3, 3]).Project(Selection.All.Resolve([0, 10])));
    }

    [Fact]
    public void StepsAcrossChunkBoundaries()
    {
        // 0..19 with step 7 over chunks of 5: 0 (chunk 0), 7 (chunk 1), 14 (chunk 2); chunk 3 (15..19) has none.
        var g = new ChunkGrid([20], [5]);
        var axes = g.ProjectAxes(new Selection(new Slice(0, null, 7)).Resolve(g.Shape))[0];
        Assert.Equal([new AxisChunk(0, 0, 7, 1, 0), new AxisChunk(1, 2, 7, 1, 1), new AxisChunk(2, 4, 7, 1, 2)], axes);
    }

    /// <summary>A random selection of one axis: a slice with a step, or an index.</summary>
    private static AxisSelection RandomAxis(Random rng, long length)
    {
        if (length > 0 && rng.Next(5) == 0) return AxisSelection.At(rng.Next(-(int)length, (int)length));
        long? start = rng.Next(3) == 0 ? null : rng.Next(-(int)length - 2, (int)length + 2);
        long? stop = rng.Next(3) == 0 ? null : rng.Next(-(int)length - 2, (int)length + 2);
        return new Slice(start, stop, rng.Next(1, 9));
    }

    [Fact]
    public void ProjectionsMatchABruteForceProjection()
    {
        var rng = new Random(20240601);
        for (int n = 0; n < 3000; n++)
        {
            int rank = rng.Next(1, 4);
            var shape = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(0, 14)).ToArray();
            var chunks = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
            var selection = new Selection(shape.Select(s => RandomAxis(rng, s)).ToArray());
            var resolved = selection.Resolve(shape);
            var grid = new ChunkGrid(shape, chunks);
            var axes = grid.ProjectAxes(resolved);
            for (int d = 0; d < rank; d++) CheckAxis(axes[d], resolved[d], shape[d], chunks[d], $"case {n}, axis {d}");
            var all = grid.Project(resolved).ToList();
            Assert.Equal(axes.Aggregate(1L, (a, x) => a * x.Length), all.Count);
            // C order of chunk coordinates, each chunk once.
            for (int i = 1; i < all.Count; i++)
                Assert.True(Compare(all[i - 1].Coordinates, all[i].Coordinates) < 0, $"case {n}: chunks out of order");
            foreach (var p in all) CheckCoverage(p, resolved, shape, chunks, $"case {n}");
        }
    }

    private static int Compare(long[] a, long[] b)
    {
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return 0;
    }

    /// <summary>
    /// Along one axis, the parts must send output index j (0..Count-1) to array index Start + j*Step, each once,
    /// and each part must lie inside its chunk.
    /// </summary>
    private static void CheckAxis(AxisChunk[] parts, ResolvedAxis sel, long length, int chunk, string where)
    {
        var expected = new Dictionary<long, long>();
        for (long j = 0; j < sel.Count; j++) expected[j] = sel.Start + j * sel.Step;
        var got = new Dictionary<long, long>();
        long? previousChunk = null;
        foreach (var p in parts)
        {
            Assert.True(p.Count > 0, $"{where}: an empty part");
            Assert.True(previousChunk is null || p.ChunkIndex > previousChunk, $"{where}: chunks not increasing");
            previousChunk = p.ChunkIndex;
            for (int k = 0; k < p.Count; k++)
            {
                long inChunk = p.Start + (long)k * p.Step;
                Assert.InRange(inChunk, 0, chunk - 1);
                long arrayIndex = p.ChunkIndex * chunk + inChunk;
                Assert.InRange(arrayIndex, 0, length - 1);
                Assert.True(got.TryAdd(p.OutputStart + k, arrayIndex), $"{where}: output {p.OutputStart + k} written twice");
            }
        }
        Assert.Equal(expected.OrderBy(x => x.Key), got.OrderBy(x => x.Key));
    }

    private static void CheckCoverage(ChunkProjection p, ResolvedAxis[] sel, long[] shape, int[] chunks, string where)
    {
        bool whole = true, inside = true;
        for (int d = 0; d < shape.Length; d++)
        {
            long first = p.Coordinates[d] * chunks[d];
            var selected = Enumerable.Range(0, (int)sel[d].Count).Select(j => sel[d].Start + j * sel[d].Step).Where(i => i >= first && i < first + chunks[d]).ToHashSet();
            var chunkAll = Enumerable.Range(0, chunks[d]).Select(i => first + i).ToHashSet();
            var chunkInside = chunkAll.Where(i => i < shape[d]).ToHashSet();
            whole &= selected.SetEquals(chunkAll);
            inside &= selected.SetEquals(chunkInside);
        }
        Assert.True(whole == p.CoversWholeChunk, $"{where}: CoversWholeChunk of [{string.Join(",", p.Coordinates)}] should be {whole}");
        Assert.True(inside == p.CoversChunkInsideArray, $"{where}: CoversChunkInsideArray of [{string.Join(",", p.Coordinates)}] should be {inside}");
    }
}
