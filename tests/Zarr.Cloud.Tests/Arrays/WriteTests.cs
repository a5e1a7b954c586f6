namespace Zarr.Cloud.Tests.Arrays;

public sealed class WriteTests : StoreBackedTests
{
    [Theory]
    [MemberData(nameof(ArrayTestHelpers.RanksFormatsStores), MemberType = typeof(ArrayTestHelpers))]
    public async Task PartialWritesMatchTheReference(int rank, int format, string storeKind)
    {
        var rng = new Random(rank * 77 + format + storeKind.Length * 1000);
        for (int a = 0; a < (storeKind == "file" ? 2 : 5); a++)
        {
            var store = Stores.Create(storeKind);
            var (shape, chunks) = SelectionReadTests.RandomGeometry(rng, rank);
            var array = await ZarrArray.CreateAsync(store, "w", new ZarrArrayDefinition { Shape = shape, ChunkShape = chunks, DataType = ZarrDataType.Int16, ZarrFormat = format, FillValue = (short)-7 }, cancellationToken: Ct);
            var full = Enumerable.Repeat((short)-7, (int)Reference.Product(shape)).ToArray();
            for (int n = 0; n < 25; n++)
            {
                var selection = Reference.RandomSelection(rng, shape);
                var resolved = selection.Resolve(shape);
                int count = (int)resolved.Aggregate(1L, (x, y) => x * y.Count);
                var values = RandomValues.Make<short>(ZarrDataType.Int16, count, n);
                // Half the time write data shaped with the squeezed axes kept as length 1.
                var dataShape = rng.Next(2) == 0 ? Reference.SqueezedShape(resolved) : resolved.Select(r => (int)r.Count).ToArray();
                await array.WriteAsync(selection, new NDArray<short>(values, dataShape), Ct);
                Reference.Assign(full, shape, resolved, values);
                var back = await array.ReadAsync<short>(Selection.All, Ct);
                Assert.True(full.SequenceEqual(back.Data), $"after write {n} of {selection} to shape [{string.Join(",", shape)}] chunks [{string.Join(",", chunks)}]");
            }
            // Reopened from the store, the same.
            var reopened = await ZarrArray.OpenAsync(store, "w", cancellationToken: Ct);
            Assert.Equal(full, (await reopened.ReadAsync<short>(Selection.All, Ct)).Data);
        }
    }

    [Fact]
    public async Task StringPartialWrites()
    {
        var rng = new Random(5);
        long[] shape = [9, 7];
        foreach (var (type, format) in new[] { (ZarrDataType.String, 3), (ZarrDataType.String, 2), (ZarrDataType.FixedUnicode(3), 3), (ZarrDataType.FixedUnicode(3), 2) })
        {
            var array = await ZarrArray.CreateAsync(new MemoryStore(), "s", new ZarrArrayDefinition { Shape = shape, ChunkShape = [4, 3], DataType = type, ZarrFormat = format, FillValue = "f" }, cancellationToken: Ct);
            var full = Enumerable.Repeat("f", 63).ToArray();
            for (int n = 0; n < 15; n++)
            {
                var resolved = Reference.RandomSelection(rng, shape).Resolve(shape);
                var values = RandomValues.Make<string>(type, (int)resolved.Aggregate(1L, (x, y) => x * y.Count), n);
                await array.WriteAsync(new Selection(resolved.Select(r => r.Squeeze ? AxisSelection.At(r.Start) : (AxisSelection)new Slice(r.Start, r.Start + r.Count * r.Step, r.Step)).ToArray()),
                    new NDArray<string>(values, Reference.SqueezedShape(resolved)), Ct);
                Reference.Assign(full, shape, resolved, values);
                Assert.Equal(full, (await array.ReadAsync<string>(Selection.All, Ct)).Data);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ChunksOfOnlyTheFillValueAreDeleted(int format)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "e", new ZarrArrayDefinition { Shape = [6, 6], ChunkShape = [3, 3], DataType = ZarrDataType.Float32, FillValue = 1.5f, ZarrFormat = format }, cancellationToken: Ct);
        var ones = Enumerable.Repeat(1.5f, 36).ToArray();
        await array.WriteAsync(new NDArray<float>(ones, 6, 6), Ct);
        Assert.Empty(await ArrayTestHelpers.ChunkKeysAsync(store, "e/"));
        ones[0] = 2f;
        await array.WriteAsync(new NDArray<float>(ones, 6, 6), Ct);
        Assert.Equal([array.GetChunkKey([0, 0])], await ArrayTestHelpers.ChunkKeysAsync(store, "e/"));
        // Writing the fill value over the one different element removes the chunk again.
        await array.WriteAsync(new Selection(0, 0), new NDArray<float>([1.5f]), Ct);
        Assert.Empty(await ArrayTestHelpers.ChunkKeysAsync(store, "e/"));
        Assert.All((await array.ReadAsync<float>(Selection.All, Ct)).Data, v => Assert.Equal(1.5f, v));
    }

    [Fact]
    public async Task WriteEmptyChunksKeepsThem()
    {
        var store = new MemoryStore();
        var options = new ZarrOpenOptions { WriteEmptyChunks = true };
        var array = await ZarrArray.CreateAsync(store, "e", new ZarrArrayDefinition { Shape = [6, 6], ChunkShape = [3, 3], DataType = ZarrDataType.Int8 }, options, Ct);
        await array.WriteAsync(new NDArray<sbyte>(new sbyte[36], 6, 6), Ct);
        Assert.Equal(4, (await ArrayTestHelpers.ChunkKeysAsync(store, "e/")).Count);
    }

    [Fact]
    public async Task NaNFillChunksAreDeleted()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "n", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.Float64, FillValue = double.NaN }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<double>([1, 2, double.NaN, double.NaN], 4), Ct);
        Assert.Equal([array.GetChunkKey([0])], await ArrayTestHelpers.ChunkKeysAsync(store, "n/"));
        var back = await array.ReadAsync<double>(Selection.All, Ct);
        Assert.Equal([1.0, 2.0], back.Data[..2]);
        Assert.True(double.IsNaN(back.Data[2]) && double.IsNaN(back.Data[3]));
    }

    [Fact]
    public async Task MissingChunksCanBeAnError()
    {
        var store = new MemoryStore();
        await ZarrArray.CreateAsync(store, "m", new ZarrArrayDefinition { Shape = [4, 4], ChunkShape = [2, 2], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        var strict = await ZarrArray.OpenAsync(store, "m", new ZarrOpenOptions { MissingChunks = MissingChunkBehavior.Throw }, Ct);
        await strict.WriteAsync(new Selection(0..2, 0..2), new NDArray<int>([1, 2, 3, 4], 2, 2), Ct);
        var firstRow = await strict.ReadAsync<int>(new Selection(0, 0..2), Ct);
        Assert.Equal([1, 2], firstRow.Data);
        var e = await Assert.ThrowsAsync<ZarrChunkNotFoundException>(() => strict.ReadAsync<int>(new Selection(3, 3), Ct));
        Assert.Equal("m/c/1/1", e.Key);
        Assert.Contains("m/c/1/1", e.Message);
        Assert.IsAssignableFrom<FileNotFoundException>(e);
        var lenient = await ZarrArray.OpenAsync(store, "m", cancellationToken: Ct);
        Assert.Equal(0, (await lenient.ReadAsync<int>(new Selection(3, 3), Ct)).Data[0]);
    }

    [Fact]
    public async Task ConcurrentWritesOfDifferentChunkRegions()
    {
        foreach (var kind in new[] { "memory", "file" })
        {
            var store = Stores.Create(kind);
            long[] shape = [40, 30];
            var array = await ZarrArray.CreateAsync(store, "c", new ZarrArrayDefinition { Shape = shape, ChunkShape = [5, 6], DataType = ZarrDataType.Int32, FillValue = -1 }, new ZarrOpenOptions { MaxConcurrency = 4 }, Ct);
            var full = new int[1200];
            // One task per chunk-aligned block, each block 5 x 6, all in flight together.
            var blocks = (from i in Enumerable.Range(0, 8) from j in Enumerable.Range(0, 5) select (i, j)).ToList();
            await Parallel.ForEachAsync(blocks, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (b, ct) =>
            {
                var values = Enumerable.Range(0, 30).Select(k => b.i * 1000 + b.j * 100 + k).ToArray();
                await array.WriteAsync(new Selection((b.i * 5)..(b.i * 5 + 5), (b.j * 6)..(b.j * 6 + 6)), new NDArray<int>(values, 5, 6), ct);
            });
            foreach (var (i, j) in blocks)
                for (int k = 0; k < 30; k++) full[(i * 5 + k / 6) * 30 + j * 6 + k % 6] = i * 1000 + j * 100 + k;
            Assert.Equal(full, (await array.ReadAsync<int>(Selection.All, Ct)).Data);
        }
    }

    [Fact]
    public async Task ShapeMismatchesAreArgumentErrors()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "x", new ZarrArrayDefinition { Shape = [4, 5], ChunkShape = [2, 2], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync(new Selection(0..2), new NDArray<int>(new int[8], 2, 4), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync(new NDArray<int>(new int[5], 5), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.WriteAsync(new Selection(4), new NDArray<int>(new int[5], 5), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync(new NDArray<long>(new long[20], 4, 5), Ct));
    }

    [Fact]
    public async Task FixedLengthValuesThatDoNotFitAreRefusedBeforeAnyWrite()
    {
        var store = new InstrumentedStore(new MemoryStore());
        var bytes = await ZarrArray.CreateAsync(store, "b", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.FixedBytes(3) }, cancellationToken: Ct);
        var text = await ZarrArray.CreateAsync(store, "u", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.FixedUnicode(2) }, cancellationToken: Ct);
        store.Reset();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => bytes.WriteAsync(new NDArray<byte[]>([[1], [1, 2, 3, 4], [], [5]], 4), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => text.WriteAsync(new NDArray<string>(["ab", "🎉🎉", "abc", ""], 4), Ct));
        Assert.Equal(0, store.Writes);
        // Exactly full is fine, and a surrogate pair is one character.
        await text.WriteAsync(new NDArray<string>(["ab", "🎉🎉", "a", ""], 4), Ct);
        Assert.Equal(new[] { "ab", "🎉🎉", "a", "" }, (await text.ReadAsync<string>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task EmptyWritesTouchNothing()
    {
        var store = new InstrumentedStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(store, "x", new ZarrArrayDefinition { Shape = [4, 5], ChunkShape = [2, 2], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        store.Reset();
        await array.WriteAsync(new Selection(2..2), new NDArray<int>([], 0, 5), Ct);
        Assert.Equal(0, store.Requests);
    }

    [Fact]
    public async Task WholeChunkWritesDoNotReadTheChunk()
    {
        var store = new InstrumentedStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(store, "x", new ZarrArrayDefinition { Shape = [5, 5], ChunkShape = [2, 2], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        store.Reset();
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(1, 25).ToArray(), 5, 5), Ct);
        Assert.Equal(0, store.Reads); // edge chunks are whole inside the array too
        Assert.Equal(9, store.Writes);
        store.Reset();
        await array.WriteAsync(new Selection(0, 0), new NDArray<int>([9]), Ct);
        Assert.Equal(1, store.Reads); // read-modify-write
        Assert.Equal(1, store.Writes);
    }
}
