using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Tests.Storage;

/// <summary>
/// What every cloud store (Azure, GCS, S3) must do beyond <see cref="StoreConformanceTests"/>: follow listing pages past
/// a thousand keys, list one level, capture ETags and sizes, refuse writes when read-only, fail transiently when the
/// endpoint is unreachable, let the caller's cancellation through, and serve a real dataset opened by URL. The cloud store
/// test projects link this file and derive from it, against their emulators.
/// </summary>
public abstract class CloudStoreTests : IAsyncLifetime
{
    protected static CancellationToken Ct => TestData.Ct;

    /// <summary>A new, empty, writable store rooted at <paramref name="prefix"/> in a bucket or container of its own.</summary>
    /// <param name="prefix">The path the store is rooted at ("" for the bucket's root).</param>
    /// <param name="listPageSize">How many names one listing request asks for (the service's default when null).</param>
    protected abstract ValueTask<IAsyncStore> CreateStoreAsync(string prefix = "", int? listPageSize = null);

    /// <summary>How many listing requests the stores this test made have sent.</summary>
    protected abstract int ListRequests { get; }

    /// <summary>A read-only store over the same place as <paramref name="store"/>.</summary>
    protected abstract IAsyncStore ReadOnlyView(IAsyncStore store);

    /// <summary>A store whose endpoint nobody listens on, authenticated with a credential that contains <paramref name="secret"/>.</summary>
    protected abstract IAsyncStore UnreachableStore(string secret);

    /// <summary>Skips the test when the emulator is missing (<see cref="Requirements.Missing"/>).</summary>
    protected abstract void Require();

    /// <summary>Releases the buckets or containers made.</summary>
    protected virtual ValueTask DisposeStoresAsync() => ValueTask.CompletedTask;

    public ValueTask InitializeAsync()
    {
        Require();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoresAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ListingMoreThanAThousandKeysFollowsEveryPage()
    {
        var store = await CreateStoreAsync("big", listPageSize: 100);
        const int n = 1200;
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct },
            async (i, ct) => await store.SetAsync($"c/{i}", new[] { (byte)i }, ct));
        await store.SetAsync("zarr.json", "{}"u8.ToArray(), Ct);
        int before = ListRequests;

        var keys = new List<string>();
        await foreach (var k in store.ListAsync("", Ct)) keys.Add(k);
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"c/{i}").Append("zarr.json").Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.True(ListRequests - before >= 13, $"expected at least 13 pages of 100, saw {ListRequests - before}");

        var (rootKeys, rootFolders) = await store.ListDirAsync("", Ct);
        Assert.Equal(["zarr.json"], rootKeys);
        Assert.Equal(["c"], rootFolders);
        var (chunkKeys, chunkFolders) = await store.ListDirAsync("c", Ct);
        Assert.Equal(n, chunkKeys.Count);
        Assert.Empty(chunkFolders);
    }

    [Fact]
    public async Task ListDirGivesOneLevelBelowAPrefixedRoot()
    {
        var store = await CreateStoreAsync("root", listPageSize: 2);
        foreach (var k in new[] { "g/zarr.json", "g/a/zarr.json", "g/a/c/0", "g/b/zarr.json", "g/x", "h" }) await store.SetAsync(k, new byte[] { 1 }, Ct);
        var (keys, folders) = await store.ListDirAsync("g", Ct);
        Assert.Equal(["x", "zarr.json"], keys);
        Assert.Equal(["a", "b"], folders);
        var (rootKeys, rootFolders) = await store.ListDirAsync("", Ct);
        Assert.Equal(["h"], rootKeys);
        Assert.Equal(["g"], rootFolders);
        var (noKeys, noFolders) = await store.ListDirAsync("nothing/here", Ct);
        Assert.Empty(noKeys);
        Assert.Empty(noFolders);
    }

    [Fact]
    public async Task ETagAndTotalLengthAreCapturedOnEveryKindOfRead()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("k", TestData.Sequence(100), Ct);
        string? etag = null;
        foreach (var range in new[] { ByteRange.All, ByteRange.Bounded(5, 10), ByteRange.Bounded(5, 0), ByteRange.FromOffset(90), ByteRange.Suffix(3) })
        {
            using var v = await store.GetAsync("k", range, Ct);
            Assert.Equal(100, v!.TotalLength);
            Assert.NotNull(v.ETag);
            etag ??= v.ETag;
            Assert.Equal(etag, v.ETag);
        }
    }

    [Fact]
    public async Task AReadOnlyStoreRefusesWritesAndDeletes()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("k", new byte[] { 1 }, Ct);
        var ro = ReadOnlyView(store);
        Assert.False(ro.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.Contains("read-only", (await Assert.ThrowsAsync<StoreException>(async () => await ro.SetAsync("k", new byte[] { 2 }, Ct))).Message);
        await Assert.ThrowsAsync<StoreException>(async () => await ro.DeleteAsync("k", Ct));
        using var v = await ro.GetAsync("k", default, Ct);
        Assert.Equal(new byte[] { 1 }, v!.ToArray());
    }

    [Fact]
    public async Task AnUnreachableEndpointIsATransientFailureThatShowsNoSecret()
    {
        const string secret = "RECOGNISABLESECRET0123456789";
        var store = UnreachableStore(secret);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Null(e.Status);
        Assert.Equal("k", e.Key);
        Assert.DoesNotContain(secret, e.ToString());
        Assert.DoesNotContain(secret, store.ToString());
        var l = await Assert.ThrowsAsync<StoreException>(async () => { await foreach (var _ in store.ListAsync("x/", Ct)) { } });
        Assert.True(l.IsTransient);
        Assert.DoesNotContain(secret, l.ToString());
    }

    [Fact]
    public async Task TheCallersCancellationPassesThroughAsCancellation()
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync("k", default, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SetAsync("k", new byte[] { 1 }, cts.Token));
    }

    /// <summary>Writes a small sharded v3 dataset (a group "sst.zarr" with an array "sst") into a new store; returns the store and the data.</summary>
    protected async Task<(IAsyncStore Store, float[] Data)> WriteDatasetAsync()
    {
        var store = await CreateStoreAsync();
        var root = await ZarrGroup.CreateAsync(store, "sst.zarr", 3, cancellationToken: Ct);
        var data = Enumerable.Range(0, 30 * 20).Select(i => i * 0.25f).ToArray();
        var arr = await root.CreateArrayAsync("sst", new ZarrArrayDefinition { Shape = [30, 20], ChunkShape = [8, 8], ShardShape = [16, 16], DataType = ZarrDataType.Float32 }, Ct);
        await arr.WriteAsync(new NDArray<float>(data, 30, 20), Ct);
        return (store, data);
    }

    /// <summary>Checks a group opened by URL is the dataset <see cref="WriteDatasetAsync"/> wrote.</summary>
    protected static async Task AssertDatasetAsync(ZarrGroup group, float[] data)
    {
        var sst = await group.OpenArrayAsync("sst", Ct);
        Assert.Equal(data, (await sst.ReadAsync<float>(Selection.All, Ct)).Data);
        Assert.Equal(data[(5 * 20)..(5 * 20 + 3)], (await sst.ReadAsync<float>(new Slice(5, 6), new Slice(0, 3))).Data);
        Assert.Equal(["sst"], await group.ListChildrenAsync(Ct));
    }
}
