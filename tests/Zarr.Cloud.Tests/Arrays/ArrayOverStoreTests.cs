using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>
/// The array-level tests every store must pass (v2, v3, sharded, compressed; groups, consolidated metadata),
/// so a cloud store is proven with real arrays, not only keys. Derive and supply an empty writable store
/// (the cloud store test projects do, against their emulators).
/// </summary>
public abstract class ArrayOverStoreTests : IAsyncLifetime
{
    private IAsyncStore? _store;

    /// <summary>Creates a new, empty, writable store.</summary>
    protected abstract ValueTask<IAsyncStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    protected IAsyncStore Store => _store ?? throw new InvalidOperationException("created in InitializeAsync");

    /// <summary>
    /// The same keys through a store that can list, for the steps that must list (checking what was stored,
    /// consolidating metadata): <see cref="Store"/> itself by default; a store that cannot list (HTTP) supplies the
    /// folder its server writes to. Every read still goes through <see cref="Store"/>.
    /// </summary>
    protected virtual IAsyncStore ListingStore => Store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    public static TheoryData<string> Layouts() => ["v2.zlib", "v2.F.zstd", "v3.zstd", "v3.gzip.crc32c", "v3.sharded", "v3.sharded.raw", "v3.raw", "v2.blosc.lz4", "v3.blosc.zstd.bitshuffle", "v3.sharded.blosc"];

    private static ZarrArrayDefinition Define(string layout) => layout switch
    {
        "v2.zlib" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, FillValue = float.NaN, ZarrFormat = 2, Compressor = new ZlibCodec(1) },
        "v2.F.zstd" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, FillValue = -1f, ZarrFormat = 2, Order = 'F', ChunkKeySeparator = '/' },
        "v3.zstd" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, FillValue = float.NaN },
        "v3.gzip.crc32c" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, Codecs = [new BytesCodec(true), new GzipCodec(3), new Crc32cCodec()] },
        "v3.sharded" => new() { Shape = [50, 37], ChunkShape = [8, 5], ShardShape = [32, 20], DataType = ZarrDataType.Float32, FillValue = float.NaN },
        "v3.sharded.raw" => new() { Shape = [50, 37], ChunkShape = [8, 5], ShardShape = [32, 20], DataType = ZarrDataType.Float32, Compressor = null },
        "v3.raw" => new() { Shape = [50, 37], ChunkShape = [25, 37], DataType = ZarrDataType.Float32, Compressor = null },
        "v2.blosc.lz4" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, FillValue = float.NaN, ZarrFormat = 2, Compressor = new Zarr.Cloud.Codecs.Blosc.BloscCodec(Zarr.Cloud.Codecs.Blosc.BloscCompressor.LZ4, 5, Zarr.Cloud.Codecs.Blosc.BloscShuffleMode.Shuffle, 4) },
        "v3.blosc.zstd.bitshuffle" => new() { Shape = [50, 37], ChunkShape = [16, 10], DataType = ZarrDataType.Float32, Compressor = new Zarr.Cloud.Codecs.Blosc.BloscCodec(Zarr.Cloud.Codecs.Blosc.BloscCompressor.Zstd, 3, Zarr.Cloud.Codecs.Blosc.BloscShuffleMode.BitShuffle, 4) },
        "v3.sharded.blosc" => new() { Shape = [50, 37], ChunkShape = [8, 5], ShardShape = [32, 20], DataType = ZarrDataType.Float32, FillValue = float.NaN, Compressor = new Zarr.Cloud.Codecs.Blosc.BloscCodec(typeSize: 4) },
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task WritesAndReadsBackEverySelection(string layout)
    {
        var data = Enumerable.Range(0, 50 * 37).Select(i => i % 11 == 0 ? float.NaN : i * 0.5f - 100).ToArray();
        var array = await ZarrArray.CreateAsync(Store, $"arrays/{layout}", Define(layout), cancellationToken: Ct);
        await array.WriteAsync(new NDArray<float>(data, 50, 37), Ct);
        var reopened = await ZarrArray.OpenAsync(Store, $"arrays/{layout}", cancellationToken: Ct);
        Assert.Equal(data, (await reopened.ReadAsync<float>(Selection.All, Ct)).Data);
        var rng = new Random(layout.Length);
        for (int k = 0; k < 12; k++)
        {
            int a0 = rng.Next(50), a1 = rng.Next(a0, 51), b0 = rng.Next(37), b1 = rng.Next(b0, 38), s0 = rng.Next(1, 4), s1 = rng.Next(1, 4);
            var part = await reopened.ReadAsync<float>(new Slice(a0, a1, s0), new Slice(b0, b1, s1));
            var expected = new List<float>();
            for (int i = a0; i < a1; i += s0) for (int j = b0; j < b1; j += s1) expected.Add(data[i * 37 + j]);
            Assert.Equal(expected, part.Data);
        }
        // Partial overwrite, then a point read.
        await reopened.WriteAsync(new Selection(3..5, 4..6), new NDArray<float>([1, 2, 3, 4], 2, 2), Ct);
        Assert.Equal(4f, (await reopened.ReadAsync<float>(4, 5)).Data[0]);
    }

    [Fact]
    public async Task MissingChunksReadAsFillAndAllFillChunksAreNotStored()
    {
        var array = await ZarrArray.CreateAsync(Store, "sparse", new ZarrArrayDefinition { Shape = [100], ChunkShape = [10], DataType = ZarrDataType.Int32, FillValue = 7 }, cancellationToken: Ct);
        await array.WriteAsync(new Selection(20..30), new NDArray<int>(Enumerable.Range(100, 10).ToArray(), 10), Ct);
        await array.WriteAsync(new Selection(50..60), new NDArray<int>(Enumerable.Repeat(7, 10).ToArray(), 10), Ct);
        var keys = new List<string>();
        await foreach (var k in ListingStore.ListAsync("sparse/", Ct)) keys.Add(k);
        Assert.Equal(["sparse/c/2", "sparse/zarr.json"], keys.Order(StringComparer.Ordinal).ToList());
        var all = await array.ReadAsync<int>(Selection.All, Ct);
        Assert.Equal(90, all.Data.Count(v => v == 7));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GroupsAttributesAndConsolidatedMetadata(int format)
    {
        var root = await ZarrGroup.CreateAsync(Store, $"h{format}", format, new JsonObject { ["title"] = "über" }, cancellationToken: Ct);
        var sub = await root.CreateGroupAsync("a/b", new JsonObject { ["n"] = 1 }, cancellationToken: Ct);
        await sub.CreateArrayAsync("x", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.UInt8, ZarrFormat = format }, Ct);
        await (await ZarrGroup.OpenAsync(ListingStore, $"h{format}", cancellationToken: Ct)).ConsolidateMetadataAsync(Ct);
        var opened = await ZarrGroup.OpenAsync(Store, $"h{format}", cancellationToken: Ct);
        Assert.True(opened.IsConsolidated);
        Assert.Equal("über", opened.Attributes["title"]!.ToString());
        var b = await opened.OpenGroupAsync("a/b", Ct);
        Assert.Equal(1, b.Attributes["n"]!.GetValue<int>());
        Assert.Equal(["x"], await b.ListChildrenAsync(Ct));
        var x = await b.OpenArrayAsync("x", Ct);
        Assert.Equal([4L], x.Shape);
    }
}
