using Zarr.Cloud.Caching;

namespace Zarr.Cloud.Tests.Caching;

/// <summary>The decoded-chunk cache, through real arrays over real stores: bounds, statistics, sharing, single flight, invalidation.</summary>
public sealed class ChunkCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A float32 vector of <paramref name="length"/> elements in chunks of 10 (40 decoded bytes each), values 0, 1, 2, ...</summary>
    private static async Task<(ZarrArray Array, float[] Data)> VectorAsync(IAsyncStore store, ChunkCache cache, string path = "v", int length = 40)
    {
        var options = new ZarrOpenOptions { ChunkCache = cache };
        var array = await ZarrArray.CreateAsync(store, path, new ZarrArrayDefinition { Shape = [length], ChunkShape = [10], DataType = ZarrDataType.Float32 }, options, Ct);
        var data = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        await array.WriteAsync(new NDArray<float>(data, length), Ct);
        return (array, data);
    }

    private static async Task<float[]> ReadAsync(ZarrArray array, Range range) => (await array.ReadAsync<float>(new Selection(range), Ct)).Data;

    [Fact]
    public async Task EvictsLeastRecentlyUsedByBytes()
    {
        var cache = new ChunkCache(100); // two 40-byte chunks fit, three do not
        var store = new InstrumentedStore(new MemoryStore());
        var (array, data) = await VectorAsync(store, cache);
        store.Reset();

        Assert.Equal(data[0..30], await ReadAsync(array, 0..30)); // chunks 0, 1, 2: 0 is evicted
        Assert.Equal(3, cache.Misses);
        Assert.Equal(1, cache.Evictions);
        Assert.Equal(2, cache.Count);
        Assert.Equal(80, cache.CurrentBytes);
        Assert.Equal(3, store.Reads);

        Assert.Equal(data[20..30], await ReadAsync(array, 20..30)); // chunk 2 is held
        Assert.Equal(1, cache.Hits);
        Assert.Equal(3, store.Reads);

        Assert.Equal(data[0..10], await ReadAsync(array, 0..10)); // chunk 0 was evicted: read again, evicting 1
        Assert.Equal(4, cache.Misses);
        Assert.Equal(4, store.Reads);
        Assert.Equal(2, cache.Evictions);

        Assert.Equal(data[20..30], await ReadAsync(array, 20..30)); // 2 was used more recently than 1: still held
        Assert.Equal(2, cache.Hits);
        Assert.Equal(4, store.Reads);
    }

    [Fact]
    public async Task ChunksLargerThanTheCacheAreReadButNotKept()
    {
        var cache = new ChunkCache(39);
        var store = new InstrumentedStore(new MemoryStore());
        var (array, data) = await VectorAsync(store, cache);
        store.Reset();
        Assert.Equal(data, await ReadAsync(array, 0..40));
        Assert.Equal(data, await ReadAsync(array, 0..40));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.CurrentBytes);
        Assert.Equal(8, store.Reads);
    }

    [Fact]
    public async Task ClearEmptiesTheCache()
    {
        var cache = new ChunkCache(1 << 20);
        var (array, data) = await VectorAsync(new MemoryStore(), cache);
        Assert.Equal(data, await ReadAsync(array, 0..40));
        Assert.Equal(4, cache.Count);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.CurrentBytes);
        Assert.Equal(data, await ReadAsync(array, 0..40));
        Assert.Equal(8, cache.Misses);
    }

    [Fact]
    public async Task IsSharedByTheArraysOfAStoreAndKeepsStoresApart()
    {
        var cache = new ChunkCache(1 << 20);
        var storeA = new InstrumentedStore(new MemoryStore());
        var storeB = new InstrumentedStore(new MemoryStore());
        var (a, dataA) = await VectorAsync(storeA, cache, "x");
        var (b, _) = await VectorAsync(storeA, cache, "y");
        var (c, _) = await VectorAsync(storeB, cache, "x"); // same path and chunk keys as a, other store
        await c.WriteAsync(new Selection(0..10), new NDArray<float>(Enumerable.Repeat(-5f, 10).ToArray(), 10), Ct);

        Assert.Equal(dataA, await ReadAsync(a, 0..40));
        Assert.Equal(dataA, await ReadAsync(b, 0..40));
        var fromC = await ReadAsync(c, 0..40);
        Assert.Equal(Enumerable.Repeat(-5f, 10), fromC[..10]);
        Assert.Equal(dataA[10..], fromC[10..]);
        Assert.Equal(12, cache.Count);

        // A second instance of array x on store A finds x's chunks.
        var again = await ZarrArray.OpenAsync(storeA, "x", new ZarrOpenOptions { ChunkCache = cache }, Ct);
        storeA.Reset();
        Assert.Equal(dataA, await ReadAsync(again, 0..40));
        Assert.Equal(0, storeA.Reads);
        Assert.Equal(4, cache.Hits);
    }

    [Fact]
    public async Task ConcurrentReadsOfOneChunkShareOneRequest()
    {
        var cache = new ChunkCache(1 << 20);
        var gated = new GatedStore(new MemoryStore());
        var (array, data) = await VectorAsync(gated, cache);
        int before = gated.Reads;
        gated.Close();
        var reads = Enumerable.Range(0, 8).Select(_ => ReadAsync(array, 3..7)).ToList();
        await gated.WaitForWaitingAsync(1);
        await Task.Delay(50, Ct); // let the other readers arrive (they join the load; none reaches the store)
        gated.Open();
        foreach (var r in reads) Assert.Equal(data[3..7], await r);
        Assert.Equal(1, gated.Reads - before);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(7, cache.Hits);
    }

    [Fact]
    public async Task ACancelledWaiterDoesNotCancelTheLoadForTheOthers()
    {
        var cache = new ChunkCache(1 << 20);
        var gated = new GatedStore(new MemoryStore());
        var (array, data) = await VectorAsync(gated, cache);
        gated.Close();
        using var cts = new CancellationTokenSource();
        var first = array.ReadAsync<float>(new Selection(0..5), cts.Token);
        await gated.WaitForWaitingAsync(1);
        var second = ReadAsync(array, 5..10);
        while (cache.Hits < 1) await Task.Delay(5, Ct); // the second read has joined the load
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gated.Open();
        Assert.Equal(data[5..10], await second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task AFailedLoadReachesEveryWaiterAndIsNotCached()
    {
        var cache = new ChunkCache(1 << 20);
        var gated = new GatedStore(new MemoryStore());
        var (array, data) = await VectorAsync(gated, cache);
        gated.Close();
        gated.Failure = new StoreException("v/c/0", "gated", "boom", isTransient: true);
        var reads = Enumerable.Range(0, 3).Select(_ => ReadAsync(array, 0..5)).ToList();
        await gated.WaitForWaitingAsync(1);
        await Task.Delay(50, Ct);
        gated.Open();
        foreach (var r in reads) Assert.Contains("boom", (await Assert.ThrowsAsync<StoreException>(() => r)).Message);
        Assert.Equal(0, cache.Count);
        gated.Failure = null;
        Assert.Equal(data[0..5], await ReadAsync(array, 0..5));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task WritesAndResizesReplaceWhatIsCached()
    {
        var cache = new ChunkCache(1 << 20);
        var (array, data) = await VectorAsync(new MemoryStore(), cache);
        Assert.Equal(data, await ReadAsync(array, 0..40));
        await array.WriteAsync(new Selection(12..14), new NDArray<float>([100f, 101f], 2), Ct);
        data[12] = 100f;
        data[13] = 101f;
        Assert.Equal(data, await ReadAsync(array, 0..40));

        await array.ResizeAsync([15], Ct); // chunk 1 is cut at 15, chunks 2 and 3 are deleted
        await array.ResizeAsync([40], Ct);
        var expected = data.Select((v, i) => i < 15 ? v : 0f).ToArray();
        Assert.Equal(expected, await ReadAsync(array, 0..40));

        // An overwrite at the same path starts from nothing.
        var replaced = await ZarrArray.CreateAsync(array.Store, "v", new ZarrArrayDefinition { Shape = [40], ChunkShape = [10], DataType = ZarrDataType.Float32, FillValue = 7f, Overwrite = true }, new ZarrOpenOptions { ChunkCache = cache }, Ct);
        Assert.Equal(Enumerable.Repeat(7f, 40), await ReadAsync(replaced, 0..40));
    }

    [Fact]
    public async Task InvalidateDropsAStoresEntriesBelowAPath()
    {
        var cache = new ChunkCache(1 << 20);
        var store = new MemoryStore();
        var (a, _) = await VectorAsync(store, cache, "g/a");
        var (b, _) = await VectorAsync(store, cache, "h/b");
        await ReadAsync(a, 0..40);
        await ReadAsync(b, 0..40);
        Assert.Equal(8, cache.Count);
        Assert.Equal(0, cache.Invalidate(new MemoryStore(), ""));
        Assert.Equal(4, cache.Invalidate(store, "g"));
        Assert.Equal(4, cache.Count);
        Assert.Equal(320 / 2, cache.CurrentBytes);
    }

    [Fact]
    public async Task MissingChunksAreFillValueAndNotCached()
    {
        var cache = new ChunkCache(1 << 20);
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "m", new ZarrArrayDefinition { Shape = [20], ChunkShape = [10], DataType = ZarrDataType.Int16, FillValue = (short)9 }, new ZarrOpenOptions { ChunkCache = cache }, Ct);
        Assert.Equal(Enumerable.Repeat((short)9, 20), (await array.ReadAsync<short>(new Selection(0..20), Ct)).Data);
        Assert.Equal(0, cache.Count);
        var strict = await ZarrArray.OpenAsync(store, "m", new ZarrOpenOptions { ChunkCache = cache, MissingChunks = MissingChunkBehavior.Throw }, Ct);
        await Assert.ThrowsAsync<ZarrChunkNotFoundException>(() => strict.ReadAsync<short>(new Selection(0..3), Ct));
    }

    [Fact]
    public void BadSizesAreRefusedByName()
    {
        Assert.Contains("maxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkCache(-1)).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ZarrOpenOptions { DecodeParallelism = 0 }.Validate());
        Assert.Equal("DecodeParallelism", e.ParamName);
    }
}
