using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>
/// The shared second-level cache over a real redis-server: two service providers play two instances of a service that
/// share one Redis and one backend; what one fetched, the other reads without a backend request.
/// </summary>
public sealed class HybridChunkCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _instance = "zarrtest-" + Guid.NewGuid().ToString("N") + ":";

    private ServiceProvider Instance(string url, Action<HybridChunkCacheOptions>? cache = null) => TestServices.Build(s =>
    {
        s.AddZarrCloud(o => o.ChunkCacheBytes = 0).AddDataset("d", url).AddHybridChunkCache(cache ?? (_ => { }));
        s.AddStackExchangeRedisCache(o => { o.Configuration = redis.Configuration; o.InstanceName = _instance; });
    });

    private static async Task<ZarrArray> OpenTempAsync(ServiceProvider sp)
        => await sp.GetRequiredService<IZarrDatasets>().OpenArrayAsync("d", "temp", TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_chunk_one_instance_fetched_costs_the_other_no_backend_request()
    {
        redis.Require();
        var (url, counter) = CountedStores.Add(await CountedStores.SampleAsync());
        using var a = Instance(url);
        using var b = Instance(url);
        var ct = TestContext.Current.CancellationToken;
        var selection = Selection.Parse("0:10,5:20");   // chunks (0,0) and (0,1)

        var arrayA = await OpenTempAsync(a);
        counter.Reset();
        var fromA = await arrayA.ReadAsync<float>(selection, ct);
        Assert.Equal(2, counter.Reads);

        var arrayB = await OpenTempAsync(b);
        counter.Reset();
        var fromB = await arrayB.ReadAsync<float>(selection, ct);
        Assert.Equal(0, counter.Reads);
        Assert.Equal(fromA.Data, fromB.Data);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(5, 15).Select(j => (i * 30 + j) * 0.5f)), fromB.Data);

        // A chunk nobody read yet still goes to the backend, once.
        var other = await arrayB.ReadAsync<float>(Selection.Parse("35,0"), ct);
        Assert.Equal(1, counter.Reads);
        Assert.Equal(35 * 30 * 0.5f, Assert.Single(other.Data));
    }

    [Fact]
    public async Task Metadata_is_never_cached()
    {
        redis.Require();
        var (url, counter) = CountedStores.Add(await CountedStores.SampleAsync());
        using var a = Instance(url);
        using var b = Instance(url);
        await OpenTempAsync(a);
        var opening = counter.Reads;
        counter.Reset();
        await OpenTempAsync(b);
        Assert.Equal(opening, counter.Reads);
    }

    [Fact]
    public async Task A_missing_chunk_is_cached_as_missing_and_reads_as_the_fill_value()
    {
        redis.Require();
        var backend = new MemoryStore();
        var ct = TestContext.Current.CancellationToken;
        await ZarrGroup.CreateAsync(backend, "", cancellationToken: ct);
        await ZarrArray.CreateAsync(backend, "temp", new ZarrArrayDefinition
        {
            Shape = [20], ChunkShape = [10], DataType = Zarr.Cloud.Metadata.ZarrDataType.Float32, FillValue = -1f,
        }, cancellationToken: ct);
        var (url, counter) = CountedStores.Add(backend);
        using var a = Instance(url);
        using var b = Instance(url);
        var arrayA = await OpenTempAsync(a);
        counter.Reset();
        Assert.All((await arrayA.ReadAsync<float>(Selection.Parse("0:10"), ct)).Data, v => Assert.Equal(-1f, v));
        Assert.Equal(1, counter.Reads);
        var arrayB = await OpenTempAsync(b);
        counter.Reset();
        Assert.All((await arrayB.ReadAsync<float>(Selection.Parse("0:10"), ct)).Data, v => Assert.Equal(-1f, v));
        Assert.Equal(0, counter.Reads);
    }

    [Fact]
    public async Task A_chunk_larger_than_the_entry_bound_is_read_from_the_backend_each_time()
    {
        redis.Require();
        var (url, counter) = CountedStores.Add(await CountedStores.SampleAsync());
        using var a = Instance(url, o => o.MaxEntryBytes = 16);
        using var b = Instance(url, o => o.MaxEntryBytes = 16);
        var ct = TestContext.Current.CancellationToken;
        var arrayA = await OpenTempAsync(a);
        var arrayB = await OpenTempAsync(b);
        counter.Reset();
        var fromA = await arrayA.ReadAsync<float>(Selection.Parse("0:10,0:10"), ct);
        var fromB = await arrayB.ReadAsync<float>(Selection.Parse("0:10,0:10"), ct);
        Assert.Equal(2, counter.Reads);
        Assert.Equal(fromA.Data, fromB.Data);
        Assert.Equal(9 * 30 * 0.5f + 4.5f, fromB[9, 9]);
    }

    [Fact]
    public async Task Ranges_are_cached_one_by_one_and_misses_still_go_to_the_backend_together()
    {
        redis.Require();
        var backend = new MemoryStore();
        var ct = TestContext.Current.CancellationToken;
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await backend.SetAsync("shard/c/0", bytes, ct);
        using var a = Instance("memory://unused/");
        using var b = Instance("memory://unused/");
        var counterA = new InstrumentedStore(backend);
        var counterB = new InstrumentedStore(backend);
        var storeA = new HybridCachingStore(counterA, a.GetRequiredService<HybridCache>(), "ranges-" + _instance);
        var storeB = new HybridCachingStore(counterB, b.GetRequiredService<HybridCache>(), "ranges-" + _instance);

        ByteRange[] first = [ByteRange.Bounded(0, 4), ByteRange.Bounded(8, 4), ByteRange.Suffix(16)];
        var fromA = await storeA.GetRangesAsync("shard/c/0", first, ct);
        Assert.Equal(2, counterA.Reads); // the two nearby ranges merged, the suffix on its own
        var fromB = await storeB.GetRangesAsync("shard/c/0", [ByteRange.Suffix(16), ByteRange.Bounded(8, 4), ByteRange.FromOffset(200)], ct);
        Assert.Equal(1, counterB.Reads); // only [200, end) was not cached
        Assert.Equal(bytes[240..], fromB[0]!.ToArray());
        Assert.Equal(256, fromB[0]!.TotalLength);
        Assert.Equal(fromA[1]!.ToArray(), fromB[1]!.ToArray());
        Assert.Equal(bytes[8..12], fromB[1]!.ToArray());
        Assert.Equal(bytes[200..], fromB[2]!.ToArray());
        Assert.Null((await storeB.GetRangesAsync("shard/c/9", [ByteRange.Bounded(0, 4)], ct))[0]);
    }

    [Fact]
    public async Task Writes_and_deletes_through_the_store_remove_its_entries()
    {
        redis.Require();
        var backend = new MemoryStore();
        var ct = TestContext.Current.CancellationToken;
        using var a = Instance("memory://unused/");
        var counter = new InstrumentedStore(backend);
        var store = new HybridCachingStore(counter, a.GetRequiredService<HybridCache>(), "writes-" + _instance);
        await store.SetAsync("a/c/0", new byte[] { 1, 2, 3 }, ct);
        Assert.Equal([1, 2, 3], (await store.GetAsync("a/c/0", default, ct))!.ToArray());
        Assert.Equal([2, 3], (await store.GetAsync("a/c/0", ByteRange.FromOffset(1), ct))!.ToArray());
        await store.SetAsync("a/c/0", new byte[] { 9, 8, 7, 6 }, ct);
        Assert.Equal([9, 8, 7, 6], (await store.GetAsync("a/c/0", default, ct))!.ToArray());
        Assert.Equal([8, 7, 6], (await store.GetAsync("a/c/0", ByteRange.FromOffset(1), ct))!.ToArray());
        await store.DeleteAsync("a/c/0", ct);
        Assert.Null(await store.GetAsync("a/c/0", default, ct));
        counter.Reset();
        Assert.Null(await store.GetAsync("a/c/0", default, ct));
        Assert.Equal(0, counter.Reads); // the missing value is now cached as missing
    }

    [Fact]
    public async Task A_damaged_cache_entry_is_ignored_and_the_backend_read()
    {
        redis.Require();
        var backend = new MemoryStore();
        var ct = TestContext.Current.CancellationToken;
        await backend.SetAsync("a/c/0", new byte[] { 5, 6, 7 }, ct);
        using var a = Instance("memory://unused/");
        var hybrid = a.GetRequiredService<HybridCache>();
        var counter = new InstrumentedStore(backend);
        var store = new HybridCachingStore(counter, hybrid, "damaged-" + _instance);
        // A foreign value under the store's key: too short for the header, then a header whose ETag runs past the end.
        await hybrid.SetAsync(store.EntryKey("a/c/0", default), new byte[] { 1, 2 }, cancellationToken: ct);
        Assert.Equal([5, 6, 7], (await store.GetAsync("a/c/0", default, ct))!.ToArray());
        Assert.Equal(1, counter.Reads);
        var header = new byte[11];
        header[0] = 1;
        header[9] = 200;
        await hybrid.SetAsync(store.EntryKey("a/c/0", ByteRange.Bounded(0, 2)), header, cancellationToken: ct);
        Assert.Equal([5, 6], (await store.GetAsync("a/c/0", ByteRange.Bounded(0, 2), ct))!.ToArray());
        Assert.Equal(2, counter.Reads);
    }

    [Fact]
    public void The_distributed_cache_is_Redis()
    {
        redis.Require();
        using var a = Instance("memory://unused/");
        Assert.IsAssignableFrom<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache>(a.GetRequiredService<IDistributedCache>());
    }
}
