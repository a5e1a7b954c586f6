namespace Zarr.Cloud.Tests.Arrays;

/// <summary>StreamAsync: the parts of a selection reassemble to exactly what ReadAsync returns, in every layout.</summary>
public sealed class StreamTests : StoreBackedTests
{
    private static readonly string[] Selections =
    [
        "", "3:19:2, 1:16:3", "4, :", ":, 5", "-3:, ::5", "7:8, 2:3", "0:0, :", "1:22, 3:4", "::4, ::4", "22, 16",
    ];

    private static readonly string[] CubeSelections = ["", "1:6:2, 1:9:3, 2:10", "4, :, 3", ":, 5", "-3:, ::5, ::2", "6, 8, 10", "0:0", "2:5, 3:8, 4:6"];

    public static TheoryData<string> Layouts() => ["v3-zstd", "v2-order-F", "v3-sharded", "v2-missing-chunks", "v3-uncompressed-file", "v3-3d-float64", "v3-strings"];

    /// <summary>A 23 x 17 array (a 3-D one for "3d") in the named layout, with its chunks of 5 x 4 (edge chunks cut).</summary>
    private async Task<ZarrArray> CreateAsync(string layout)
    {
        var store = Stores.Create(layout.Contains("file", StringComparison.Ordinal) ? "file" : "memory");
        if (layout == "v3-3d-float64")
        {
            var cube = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition { Shape = [7, 9, 11], ChunkShape = [3, 4, 5], DataType = ZarrDataType.Float64 }, cancellationToken: Ct);
            await cube.WriteAsync(new NDArray<double>(Enumerable.Range(0, 7 * 9 * 11).Select(i => i * 0.5).ToArray(), 7, 9, 11), Ct);
            return cube;
        }
        if (layout == "v3-strings")
        {
            var text = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], DataType = ZarrDataType.String }, cancellationToken: Ct);
            await text.WriteAsync(new NDArray<string?>(Enumerable.Range(0, 23 * 17).Select(i => i % 5 == 0 ? "" : $"s{i}").ToArray(), 23, 17), Ct);
            return text;
        }
        var definition = layout switch
        {
            "v2-order-F" => new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], DataType = ZarrDataType.Int32, ZarrFormat = 2, Order = 'F' },
            "v3-sharded" => new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], ShardShape = [10, 8], DataType = ZarrDataType.Int32 },
            "v2-missing-chunks" => new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], DataType = ZarrDataType.Int32, ZarrFormat = 2, FillValue = 7 },
            "v3-uncompressed-file" => new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], DataType = ZarrDataType.Int32, Compressor = null },
            _ => new ZarrArrayDefinition { Shape = [23, 17], ChunkShape = [5, 4], DataType = ZarrDataType.Int32 },
        };
        var array = await ZarrArray.CreateAsync(store, "a", definition, cancellationToken: Ct);
        if (layout == "v2-missing-chunks")
            await array.WriteAsync(new Selection(new Slice(5, 12), new Slice(4, 9)), new NDArray<int>(Enumerable.Range(100, 35).ToArray(), 7, 5), Ct);
        else
            await array.WriteAsync(new NDArray<int>(Enumerable.Range(0, 23 * 17).Select(i => i * 3 - 50).ToArray(), 23, 17), Ct);
        return array;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task PartsReassembleToReadAsync(string layout)
    {
        var array = await CreateAsync(layout);
        foreach (var text in array.Rank == 3 ? CubeSelections : Selections)
        {
            var selection = Selection.Parse(text, array.Rank);
            if (array.DataType == ZarrDataType.Float64) await CheckAsync<double>(array, selection);
            else if (array.DataType == ZarrDataType.String) await CheckAsync<string?>(array, selection);
            else await CheckAsync<int>(array, selection);
        }
    }

    private static async Task CheckAsync<T>(ZarrArray array, Selection selection)
    {
        var expected = await array.ReadAsync<T>(selection, Ct);
        foreach (var ordered in new[] { true, false })
        {
            var got = new T[expected.Length];
            var seen = new int[expected.Length];
            int parts = 0;
            await foreach (var part in array.StreamAsync<T>(selection, new StreamOptions { Ordered = ordered, MaxConcurrency = 3 }, Ct))
            {
                parts++;
                Assert.Equal(expected.Rank, part.Data.Rank);
                Assert.Equal(part.Data.Length, part.Shape.Aggregate(1, (a, b) => a * b));
                Place(part, expected.Shape, got, seen);
                // The part says where it came from in the array: reading that gives the same values.
                Assert.Equal((await array.ReadAsync<T>(part.ArraySelection, Ct)).Data, part.Data.Data);
            }
            Assert.True(seen.All(s => s == 1), $"{selection} ordered={ordered}: every element exactly once");
            Assert.Equal(expected.Data, got);
            Assert.Equal(expected.Length == 0 ? 0 : new ChunkGrid(array.Metadata.Shape, array.Metadata.ChunkShape).CountChunks(selection.Resolve(array.Metadata.Shape)), parts);
        }
    }

    /// <summary>Copies a part into the whole output at its start, counting how often each element is written.</summary>
    private static void Place<T>(ArrayPart<T> part, int[] shape, T[] output, int[] seen)
    {
        int rank = shape.Length;
        var strides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
        var idx = new int[rank];
        for (int i = 0; i < part.Data.Length; i++)
        {
            long at = 0;
            for (int d = 0; d < rank; d++) at += (part.OutputStart[d] + idx[d]) * strides[d];
            output[at] = part.Data.Data[i];
            seen[at]++;
            for (int d = rank - 1; d >= 0 && ++idx[d] == part.Shape[d]; d--) idx[d] = 0;
        }
    }

    [Fact]
    public async Task RangeAndIndexOverloadMatchesReadAsync()
    {
        var array = await CreateAsync("v3-zstd");
        var expected = await array.ReadAsync<int>(2..19, ^5);
        var got = new int[expected.Length];
        await foreach (var part in array.StreamAsync<int>(2..19, ^5))
        {
            Assert.Single(part.OutputStart);
            part.Data.Data.CopyTo(got, (int)part.OutputStart[0]);
        }
        Assert.Equal(expected.Data, got);
    }

    [Fact]
    public async Task OrderedPartsComeInChunkGridOrderEvenWhenTheFirstChunkIsSlowest()
    {
        var array = await CreateAsync("v3-zstd");
        var store = new StreamRecordingStore(array.Store);
        var slow = await ZarrArray.OpenAsync(store, "a", cancellationToken: Ct);
        store.Hold("a/c/0/0");
        var release = Task.Run(async () =>
        {
            Assert.True(await StreamRecordingStore.EventuallyAsync(() => store.ChunkRequests >= 4), "reads go on past the held chunk");
            store.Release("a/c/0/0");
        }, Ct);
        var order = new List<long[]>();
        await foreach (var part in slow.StreamAsync<int>(Selection.All, new StreamOptions { MaxConcurrency = 4 }, Ct))
        {
            if (order.Count == 0) Assert.True(store.ChunkRequests >= 4, "the parts after the held one were read ahead while it was held");
            order.Add(part.ChunkCoordinates);
        }
        await release;
        // C order of the 5 x 5 grid.
        var expected = new List<long[]>();
        for (long i = 0; i < 5; i++) for (long j = 0; j < 5; j++) expected.Add([i, j]);
        Assert.Equal(expected, order);
    }

    [Fact]
    public async Task UnorderedPartsComeAsTheyCompleteEachOnce()
    {
        var array = await CreateAsync("v3-zstd");
        var store = new StreamRecordingStore(array.Store);
        var slow = await ZarrArray.OpenAsync(store, "a", cancellationToken: Ct);
        store.Hold("a/c/0/0");
        var seen = new List<string>();
        await foreach (var part in slow.StreamAsync<int>(Selection.All, new StreamOptions { Ordered = false, MaxConcurrency = 4 }, Ct))
        {
            seen.Add(string.Join(",", part.ChunkCoordinates));
            // Every other part arrives while chunk 0,0 is held; then it is let go.
            if (seen.Count == 24) store.Release("a/c/0/0");
        }
        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal("0,0", seen[^1]);
    }
}
