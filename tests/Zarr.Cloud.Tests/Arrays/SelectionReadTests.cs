namespace Zarr.Cloud.Tests.Arrays;

/// <summary>Random stepped selections of 1-D to 4-D arrays, compared with a brute-force read of the full array.</summary>
public sealed class SelectionReadTests : StoreBackedTests
{
    /// <summary>A random array shape and chunk shape of a rank, with partial edge chunks most of the time.</summary>
    internal static (long[] Shape, int[] Chunks) RandomGeometry(Random rng, int rank)
    {
        int maxDim = rank switch { 1 => 60, 2 => 17, 3 => 9, _ => 6 };
        var shape = Enumerable.Range(0, rank).Select(_ => (long)rng.Next(1, maxDim + 1)).ToArray();
        var chunks = shape.Select(s => rng.Next(1, (int)s + 2)).ToArray();
        return (shape, chunks);
    }

    [Theory]
    [MemberData(nameof(ArrayTestHelpers.RanksFormatsStores), MemberType = typeof(ArrayTestHelpers))]
    public async Task RandomSelectionsMatchTheReference(int rank, int format, string storeKind)
    {
        var rng = new Random(rank * 1000 + format * 10 + storeKind.Length);
        int arrays = storeKind == "file" ? 3 : 8;
        for (int a = 0; a < arrays; a++)
        {
            var store = Stores.Create(storeKind);
            var (shape, chunks) = RandomGeometry(rng, rank);
            var array = await ZarrArray.CreateAsync(store, "x", new ZarrArrayDefinition { Shape = shape, ChunkShape = chunks, DataType = ZarrDataType.Int32, ZarrFormat = format, FillValue = -1 }, cancellationToken: Ct);
            var full = RandomValues.Make<int>(ZarrDataType.Int32, (int)Reference.Product(shape), a);
            await array.WriteAsync(new NDArray<int>(full, shape.Select(s => (int)s).ToArray()), Ct);
            for (int n = 0; n < 40; n++)
            {
                var selection = Reference.RandomSelection(rng, shape);
                var resolved = selection.Resolve(shape);
                var got = await array.ReadAsync<int>(selection, Ct);
                Assert.Equal(Reference.SqueezedShape(resolved), got.Shape);
                Assert.True(Reference.Select(full, shape, resolved).SequenceEqual(got.Data),
                    $"shape [{string.Join(",", shape)}] chunks [{string.Join(",", chunks)}] selection {selection}");
            }
        }
    }

    public static TheoryData<int, int> FortranCases()
    {
        var d = new TheoryData<int, int>();
        for (int rank = 2; rank <= 4; rank++)
        {
            d.Add(rank, 2);
            d.Add(rank, 3);
        }
        return d;
    }

    [Theory]
    [MemberData(nameof(FortranCases))]
    public async Task FortranOrderBigEndianArraysReadAndWriteLikeTheReference(int rank, int format)
    {
        // Order F (v2) or a transpose codec (v3), big-endian, gzip: chunks always go through the full decode path.
        var rng = new Random(rank * 31 + format);
        for (int a = 0; a < 4; a++)
        {
            var (shape, chunks) = RandomGeometry(rng, rank);
            var array = await ZarrArray.CreateAsync(new MemoryStore(), "f", new ZarrArrayDefinition
            {
                Shape = shape, ChunkShape = chunks, DataType = ZarrDataType.Float32, ZarrFormat = format, Order = 'F', BigEndian = true,
                Compressor = new GzipCodec(1), FillValue = 0.5f,
            }, cancellationToken: Ct);
            var full = Enumerable.Repeat(0.5f, (int)Reference.Product(shape)).ToArray();
            for (int n = 0; n < 30; n++)
            {
                var selection = Reference.RandomSelection(rng, shape);
                var resolved = selection.Resolve(shape);
                if (n % 2 == 0)
                {
                    var values = RandomValues.Make<float>(ZarrDataType.Float32, (int)resolved.Aggregate(1L, (x, y) => x * y.Count), n);
                    await array.WriteAsync(selection, new NDArray<float>(values, Reference.SqueezedShape(resolved)), Ct);
                    Reference.Assign(full, shape, resolved, values);
                }
                else
                {
                    var got = await array.ReadAsync<float>(selection, Ct);
                    Assert.Equal(Reference.Select(full, shape, resolved), got.Data);
                }
            }
            Assert.Equal(full, (await array.ReadAsync<float>(Selection.All, Ct)).Data);
        }
    }

    [Fact]
    public async Task SparseArraysReadTheFillValueWhereChunksAreMissing()
    {
        var rng = new Random(99);
        var store = new MemoryStore();
        long[] shape = [13, 9, 7];
        var array = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition { Shape = shape, ChunkShape = [4, 4, 4], DataType = ZarrDataType.Float64, FillValue = 2.5 }, cancellationToken: Ct);
        var full = Enumerable.Repeat(2.5, (int)Reference.Product(shape)).ToArray();
        // Write two small blocks; every other chunk stays missing.
        foreach (var sel in new[] { new Selection(1..3, 2..6, 0..2), new Selection(12, 8, 6) })
        {
            var r = sel.Resolve(shape);
            var values = Enumerable.Range(0, (int)r.Aggregate(1L, (x, y) => x * y.Count)).Select(i => i * 1.5).ToArray();
            await array.WriteAsync(sel, new NDArray<double>(values, Reference.SqueezedShape(r)), Ct);
            Reference.Assign(full, shape, r, values);
        }
        for (int n = 0; n < 50; n++)
        {
            var selection = Reference.RandomSelection(rng, shape);
            var got = await array.ReadAsync<double>(selection, Ct);
            Assert.Equal(Reference.Select(full, shape, selection.Resolve(shape)), got.Data);
        }
    }

    [Fact]
    public async Task ReadIntoCallerMemory()
    {
        var store = new MemoryStore();
        long[] shape = [10, 12];
        var array = await ZarrArray.CreateAsync(store, "m", new ZarrArrayDefinition { Shape = shape, ChunkShape = [4, 5], DataType = ZarrDataType.UInt16 }, cancellationToken: Ct);
        var full = RandomValues.Make<ushort>(ZarrDataType.UInt16, 120, 3);
        await array.WriteAsync(new NDArray<ushort>(full, 10, 12), Ct);
        var selection = new Selection(new Slice(1, 9, 3), 2..11);
        var expected = Reference.Select(full, shape, selection.Resolve(shape));

        var exact = new ushort[expected.Length];
        await array.ReadAsync(selection, exact.AsMemory(), Ct);
        Assert.Equal(expected, exact);

        // A window into a larger buffer: the elements around it are untouched.
        var larger = Enumerable.Repeat((ushort)7, expected.Length + 10).ToArray();
        await array.ReadAsync(selection, larger.AsMemory(4, expected.Length + 2), Ct);
        Assert.Equal(expected, larger[4..(4 + expected.Length)]);
        Assert.All(larger[..4], v => Assert.Equal(7, v));
        Assert.All(larger[(4 + expected.Length)..], v => Assert.Equal(7, v));

        var tooSmall = new ushort[expected.Length - 1];
        await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync(selection, tooSmall.AsMemory(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync(selection, new int[expected.Length].AsMemory(), Ct));
    }

    [Fact]
    public async Task ReadIntoCallerMemoryOfStrings()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition { Shape = [5], ChunkShape = [2], DataType = ZarrDataType.String, FillValue = "-" }, cancellationToken: Ct);
        await array.WriteAsync(new Selection(1..3), new NDArray<string>(["a", "🎉"], 2), Ct);
        var buffer = new string[7];
        await array.ReadAsync(Selection.All, buffer.AsMemory(1, 5), Ct);
        Assert.Equal(new[] { null, "-", "a", "🎉", "-", "-", null }, buffer);
    }

    [Fact]
    public async Task ReadsAndWritesHonourCancellation()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "c", new ZarrArrayDefinition { Shape = [8, 8], ChunkShape = [2, 2], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => array.ReadAsync<int>(Selection.All, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => array.WriteAsync(new NDArray<int>(new int[64], 8, 8), cts.Token));
    }

    [Fact]
    public async Task ReadsWithOneChunkAtATime()
    {
        var store = new MemoryStore();
        var options = new ZarrOpenOptions { MaxConcurrency = 1 };
        var array = await ZarrArray.CreateAsync(store, "o", new ZarrArrayDefinition { Shape = [9, 9], ChunkShape = [2, 4], DataType = ZarrDataType.UInt32 }, options, Ct);
        var full = RandomValues.Make<uint>(ZarrDataType.UInt32, 81, 8);
        await array.WriteAsync(new NDArray<uint>(full, 9, 9), Ct);
        Assert.Equal(full, (await array.ReadAsync<uint>(Selection.All, Ct)).Data);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ZarrArray.OpenAsync(store, "o", new ZarrOpenOptions { MaxConcurrency = 0 }, Ct));
    }

    [Fact]
    public async Task IntegerIndicesDropTheirAxes()
    {
        var store = new MemoryStore();
        long[] shape = [4, 5, 6];
        var array = await ZarrArray.CreateAsync(store, "i", new ZarrArrayDefinition { Shape = shape, ChunkShape = [3, 2, 4], DataType = ZarrDataType.Int64 }, cancellationToken: Ct);
        var full = Enumerable.Range(0, 120).Select(i => (long)i * 3).ToArray();
        await array.WriteAsync(new NDArray<long>(full, 4, 5, 6), Ct);
        var r1 = await array.ReadAsync<long>(2, ^1, 3);
        Assert.Empty(r1.Shape);
        Assert.Equal(full[(2 * 5 + 4) * 6 + 3], Assert.Single(r1.Data));
        var r2 = await array.ReadAsync<long>(.., 1);
        Assert.Equal([4, 6], r2.Shape);
        Assert.Equal(full[(3 * 5 + 1) * 6 + 5], r2[3, 5]);
        Assert.Equal([4, 5, 6], array.GetSelectionShape(Selection.All));
        Assert.Equal([5], array.GetSelectionShape(new Selection(0, .., ^2)));
    }

    [Fact]
    public async Task OutOfBoundsAndMismatchedReadsAreArgumentErrors()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "f", new ZarrArrayDefinition { Shape = [4, 5], ChunkShape = [2, 2], DataType = ZarrDataType.Float32 }, cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync<float>(4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync<float>(0, -6));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => array.ReadAsync<float>(0, 0, 0));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync<int>(Selection.All, Ct));
        Assert.Contains("float32", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync<double>(Selection.All, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.WriteAsync(new NDArray<int>(new int[20], 4, 5), Ct));
    }
}
