namespace Zarr.Cloud.Tests.Storage;

/// <summary>The metadata cache behaves as the store it wraps, answers repeated opens without requests, and follows writes made through it.</summary>
public sealed class MetadataCachingStoreTests : StoreConformanceTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new MetadataCachingStore(new MemoryStore()));

    [Fact]
    public async Task ReopeningNodesCostsNoRequestAndWritesAreSeen()
    {
        var counted = new InstrumentedStore(new MemoryStore());
        var store = new MetadataCachingStore(counted);
        var group = await ZarrGroup.CreateAsync(store, "", zarrFormat: 2, cancellationToken: Ct);
        await group.CreateArrayAsync("a", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.Int32 }, Ct);
        await ZarrArray.OpenAsync(store, "a", null, Ct); // reads (and caches) zarr.json (missing), .zarray, .zattrs, .zmetadata
        counted.Reset();
        long hits = store.Hits;
        var again = await ZarrArray.OpenAsync(store, "a", null, Ct);
        Assert.Equal(0, counted.Reads);
        Assert.True(store.Hits > hits);
        Assert.Equal(new long[] { 4 }, again.Shape);

        // A write through the store replaces the cached document.
        await again.SetAttributesAsync(new System.Text.Json.Nodes.JsonObject { ["units"] = "m" }, Ct);
        var reopened = await ZarrArray.OpenAsync(store, "a", null, Ct);
        Assert.Equal("m", (string?)reopened.Attributes["units"]);
        await reopened.ResizeAsync([6], Ct);
        var resized = await ZarrArray.OpenAsync(store, "a", null, Ct);
        Assert.Equal(new long[] { 6 }, resized.Shape);

        // Chunk keys pass through uncached.
        counted.Reset();
        await reopened.ReadAsync<int>(new Selection(0..6), Ct);
        await reopened.ReadAsync<int>(new Selection(0..6), Ct);
        Assert.Equal(6, counted.Reads);
    }

    [Fact]
    public async Task OpeningByUrlStacksTheLayers_AndZeroTurnsTheMetadataCacheOff()
    {
        using var dir = new TempDirectory();
        await ZarrArray.CreateAsync(new FileSystemStore(dir.Path), "", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.Int32 }, null, Ct);
        var on = StoreResolver.Resolve(dir.Path).Store;
        Assert.IsType<MetadataCachingStore>(on);
        Assert.Contains("SingleFlightStore -> ConcurrencyLimitedStore -> InstrumentedStore -> ", on.ToString());
        var off = StoreResolver.Resolve(dir.Path, new StoreOpenOptions { MetadataCacheBytes = 0 }).Store;
        Assert.IsType<SingleFlightStore>(off);
        Assert.DoesNotContain("ConcurrencyLimitedStore", StoreResolver.Resolve("memory://x").Store.ToString());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StoreResolver.Resolve(dir.Path, new StoreOpenOptions { MetadataCacheBytes = -1 }));
        Assert.Contains("MetadataCacheBytes", e.Message);
    }

    [Theory]
    [InlineData("a/zarr.json", true)]
    [InlineData(".zarray", true)]
    [InlineData("g/.zmetadata", true)]
    [InlineData("a/c/0", false)]
    [InlineData("a/zarr.json.bak", false)]
    public void KnowsWhichKeysAreMetadata(string key, bool expected) => Assert.Equal(expected, MetadataCachingStore.IsMetadataKey(key));
}
