using Zarr.Cloud.Arrays;
using Zarr.Cloud.Cli.Copying;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>
/// <c>zarr copy --partition i/N</c>: the N partitions write disjoint sets of target chunks whose union, with the
/// metadata every partition writes, is file for file the plain copy; rechunked, sharded and group copies.
/// </summary>
public class PartitionedCopyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HashSet<string> MetadataNames = [".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json"];

    [Theory]
    [InlineData("4/4", "i must be in 0..3")]
    [InlineData("7/3", "i must be in 0..2")]
    [InlineData("0/0", "N must be at least 1")]
    [InlineData("-1/4", "use i/N")]
    [InlineData("1", "use i/N")]
    [InlineData("a/b", "use i/N")]
    [InlineData("1/2/3", "use i/N")]
    [InlineData(" 1 / 2x", "use i/N")]
    [InlineData("", "--partition")]
    public async Task ABadPartitionIsAUsageErrorNamingTheOption(string value, string expected)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 2);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], $"--partition={value}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--partition", r.Error, StringComparison.Ordinal);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["dst"]));
    }

    [Fact]
    public async Task OverwriteWithPartitionIsRefused()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 2);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], "--partition", "0/2", "--overwrite");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--overwrite cannot be used with --partition", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADestinationHoldingAnotherArrayIsNotMixedIn()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 2);
        await Fixtures.WriteFloatGridAsync(dir["other"], 2, rows: 5);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["other"], "--partition", "1/2");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("DST already holds different metadata at '.zarray'", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void ThePartitionsOfAGridAreDisjointAndCoverEveryChunk(int n)
    {
        var random = new Random(n);
        for (int trial = 0; trial < 40; trial++)
        {
            int rank = random.Next(0, 5);
            var shape = Enumerable.Range(0, rank).Select(_ => (long)random.Next(1, 12)).ToArray();
            var chunks = shape.Select(s => random.Next(1, (int)s + 2)).ToArray();
            var grid = shape.Select((s, d) => (s + chunks[d] - 1) / chunks[d]).ToArray();
            long total = grid.Aggregate(1L, (a, b) => a * b);
            var owner = new Dictionary<string, int>();
            long budget = random.Next(1, 4) * 4L * chunks.Aggregate(1L, (a, b) => a * b); // blocks of one to a few chunks
            for (int i = 0; i < n; i++)
            {
                var (start, end) = new CopyPartition(i, n).ChunkRange(total);
                var mine = new List<long>();
                foreach (var block in new CopyPartition(i, n).Blocks(shape, chunks, 4, budget))
                {
                    var axes = block.Resolve(shape);
                    // Every block is made of whole chunks (cut only at the array's edge).
                    for (int d = 0; d < rank; d++)
                    {
                        Assert.Equal(0, axes[d].Start % chunks[d]);
                        long stop = axes[d].Start + axes[d].Count;
                        Assert.True(stop % chunks[d] == 0 || stop == shape[d], $"block {block} of {string.Join(",", shape)} / {string.Join(",", chunks)}");
                    }
                    foreach (var chunk in ChunksOf(axes, chunks))
                    {
                        var name = string.Join(".", chunk);
                        Assert.True(owner.TryAdd(name, i), $"chunk {name} is in partitions {(owner.TryGetValue(name, out var o) ? o : -1)} and {i} of {n}");
                        mine.Add(Linear(chunk, grid));
                    }
                }
                // The partition is exactly its contiguous range of linear chunk indices.
                Assert.Equal(LongRange(start, end), mine.Order());
            }
            Assert.Equal(total, owner.Count);
        }
    }

    public static TheoryData<int, string> Copies()
    {
        var data = new TheoryData<int, string>();
        foreach (var n in new[] { 1, 2, 3, 4, 7 })
        {
            data.Add(n, "");                                             // same chunks
            data.Add(n, "--chunks 4,6,5");                               // rechunked: target chunks straddle source chunks
            data.Add(n, "--format 3 --chunks 2,3,3 --shards 4,6,6 --codec zstd:3"); // sharded target: shards partitioned
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Copies))]
    public async Task TheUnionOfThePartitionsIsThePlainCopyFileForFile(int n, string options)
    {
        using var dir = new TempFolder();
        var src = dir["src"];
        var values = Enumerable.Range(0, 17 * 23 * 13).Select(i => i % 97 == 0 ? 0 : i * 7 - 1000).ToArray(); // some all-fill chunks are skipped
        for (int i = 0; i < 4 * 23 * 13; i++) values[i] = 0;
        await Fixtures.WriteAsync(src, "", new NDArray<int>(values, 17, 23, 13), ZarrDataType.Int32, 2, [3, 5, 4], new ZstdCodec(1), fillValue: 0);
        var extra = options.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await CliRunner.RunOkAsync(["copy", src, dir["plain"], .. extra, "--block-bytes", "600"]);
        var plain = Files(dir["plain"]);

        // Each partition alone, in a folder of its own: which chunks does it write?
        var owners = new Dictionary<string, int>();
        for (int i = 0; i < n; i++)
        {
            var own = dir[$"part{i}"];
            await CliRunner.RunOkAsync(["copy", src, own, .. extra, "--partition", $"{i}/{n}", "--block-bytes", "600"]);
            foreach (var (key, bytes) in Files(own))
            {
                Assert.True(plain.TryGetValue(key, out var expected), $"partition {i}/{n} wrote {key}, which the plain copy does not have");
                Assert.Equal(expected, bytes);
                if (MetadataNames.Contains(Path.GetFileName(key))) continue;
                Assert.True(owners.TryAdd(key, i), $"{key} was written by partitions {owners.GetValueOrDefault(key)} and {i} of {n}");
            }
        }
        Assert.Equal(plain.Keys.Where(k => !MetadataNames.Contains(Path.GetFileName(k))).Order(), owners.Keys.Order());
        if (n > 1) Assert.True(owners.Values.Distinct().Count() > 1, "more than one partition wrote chunks");

        // All partitions into one shared DST: the plain copy, key for key and byte for byte.
        for (int i = n - 1; i >= 0; i--)
            await CliRunner.RunOkAsync(["copy", src, dir["shared"], .. extra, "--partition", $"{i}/{n}"]);
        var shared = Files(dir["shared"]);
        Assert.Equal(plain.Keys.Order(), shared.Keys.Order());
        foreach (var (key, bytes) in plain) Assert.Equal(bytes, shared[key]);
        Assert.Equal(values, (await Fixtures.ReadAllAsync<int>(dir["shared"])).Data);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task AGroupIsCopiedByPartitionsWithOneConsolidatedMetadata(int n)
    {
        using var dir = new TempFolder();
        var sample = Path.Combine(Zarr.Cloud.Tests.Emulators.ServerProcess.RepoRoot, "samples", "data", "sst.zarr");
        await CliRunner.RunOkAsync("copy", sample, dir["plain"], "--format", "3");
        for (int i = 0; i < n; i++)
        {
            var r = await CliRunner.RunOkAsync("copy", sample, dir["shared"], "--format", "3", "--partition", $"{i}/{n}");
            Assert.Contains("array /analysed_sst", r.Out, StringComparison.Ordinal);
            // Only the first partition consolidates; the others' zarr.json at the root has no consolidated metadata.
            if (i == 0) Assert.Contains("consolidated_metadata", File.ReadAllText(dir["shared/zarr.json"]), StringComparison.Ordinal);
        }
        var plain = Files(dir["plain"]);
        var shared = Files(dir["shared"]);
        Assert.Equal(plain.Keys.Order(), shared.Keys.Order());
        foreach (var (key, bytes) in plain) Assert.Equal(bytes, shared[key]);
    }

    [Fact]
    public async Task RunningAPartitionAgainRewritesTheSameChunks()
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], 2, rows: 30, cols: 20, chunks: [4, 4]);
        for (int i = 0; i < 2; i++) await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--partition", $"{i}/2");
        var before = Files(dir["dst"]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--partition", "1/2"); // a retried worker
        var after = Files(dir["dst"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, bytes) in before) Assert.Equal(bytes, after[key]);
        Assert.Equal(data.Data, (await Fixtures.ReadAllAsync<float>(dir["dst"])).Data);
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes);

    private static IEnumerable<long[]> ChunksOf(ResolvedAxis[] axes, int[] chunks)
    {
        int rank = axes.Length;
        var first = new long[rank];
        var last = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            first[d] = axes[d].Start / chunks[d];
            last[d] = (axes[d].Start + axes[d].Count - 1) / chunks[d];
        }
        var at = (long[])first.Clone();
        while (true)
        {
            yield return (long[])at.Clone();
            int a = rank - 1;
            while (a >= 0 && ++at[a] > last[a])
            {
                at[a] = first[a];
                a--;
            }
            if (a < 0) yield break;
        }
    }

    private static long Linear(long[] chunk, long[] grid)
    {
        long index = 0;
        for (int d = 0; d < grid.Length; d++) index = index * grid[d] + chunk[d];
        return index;
    }

    private static IEnumerable<long> LongRange(long start, long end)
    {
        for (long i = start; i < end; i++) yield return i;
    }
}
