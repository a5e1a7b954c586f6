using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>
/// Round trips over a high-latency store: opening a node is one round of concurrent requests; a read of many chunks
/// in flight at once stops on the first failure, which is thrown as it was.
/// </summary>
public sealed class RoundTripCountTests
{
    private static CancellationToken Ct => TestData.Ct;

    /// <summary>Holds every read until <see cref="Release"/>: the reads waiting at once are one round of requests.</summary>
    private sealed class GatedStore(IAsyncStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting, _reads;

        public int Waiting => Volatile.Read(ref _waiting);

        public int Reads => Volatile.Read(ref _reads);

        public void Release() => _gate.TrySetResult();

        public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            Interlocked.Increment(ref _waiting);
            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _waiting);
            return await base.GetAsync(key, range, cancellationToken);
        }
    }

    /// <summary>A store whose reads of one key fail, as a server answering 403 for it would.</summary>
    private sealed class FailingKeyStore(IAsyncStore inner, string failingKey) : DelegatingStore(inner)
    {
        public override ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
            => key == failingKey ? throw new StoreException(key, "test", "answered 403 Forbidden", 403) : base.GetAsync(key, range, cancellationToken);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        // Generous: the requests are issued at once; the bound only keeps a broken implementation from hanging.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !condition(); await Task.Delay(5, Ct))
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"still waiting for {what}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task OpeningAGroupIsOneRoundOfRequests(int format)
    {
        var inner = new MemoryStore();
        var root = await ZarrGroup.CreateAsync(inner, "", format, new JsonObject { ["title"] = "t" }, cancellationToken: Ct);
        await root.CreateArrayAsync("sst", new ZarrArrayDefinition { Shape = [10], ChunkShape = [5], DataType = ZarrDataType.Int16, ZarrFormat = format }, Ct);
        await root.ConsolidateMetadataAsync(Ct);

        var store = new GatedStore(inner);
        var opening = ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        await WaitUntil(() => store.Waiting == 4, "zarr.json, .zarray, .zattrs and .zmetadata to be asked for together");
        Assert.False(opening.IsCompleted);
        store.Release();
        var group = await opening;

        Assert.Equal(4, store.Reads); // nothing asked for after the first answers
        Assert.True(group.IsConsolidated);
        Assert.Equal("t", group.Attributes["title"]!.GetValue<string>());
        var sst = await group.OpenArrayAsync("sst", Ct);
        Assert.Equal([10L], sst.Shape);
        Assert.Equal(4, store.Reads);
    }

    [Theory]
    [InlineData(3, 1)] // zarr.json
    [InlineData(2, 3)] // .zarray, .zattrs and .zmetadata, not zarr.json
    public async Task AChildIsOpenedWithItsParentsFormat(int format, int requests)
    {
        var inner = new MemoryStore();
        var root = await ZarrGroup.CreateAsync(inner, "", format, cancellationToken: Ct);
        await root.CreateArrayAsync("x", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.Int32, ZarrFormat = format }, Ct);
        var store = new InstrumentedStore(inner);
        var parent = await ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        store.Reset();
        var child = await parent.OpenArrayAsync("x", Ct);
        Assert.Equal(format, child.ZarrFormat);
        Assert.Equal(requests, store.Reads);
    }

    [Fact]
    public async Task AV3NodeOpensWhenAV2DocumentBesideItIsUnreadable()
    {
        var inner = new MemoryStore();
        await ZarrArray.CreateAsync(inner, "a", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.Int32, ZarrFormat = 3 }, cancellationToken: Ct);
        await inner.SetAsync("a/.zattrs", "{ not json"u8.ToArray(), Ct);
        var array = await ZarrArray.OpenAsync(new FailingKeyStore(inner, "a/.zarray"), "a", cancellationToken: Ct);
        Assert.Equal(3, array.ZarrFormat);
        Assert.Equal([4L], array.Shape);

        // Without zarr.json the same v2 failures are the answer.
        await inner.DeleteAsync("a/zarr.json", Ct);
        var e = await Assert.ThrowsAsync<StoreException>(() => ZarrArray.OpenAsync(new FailingKeyStore(inner, "a/.zarray"), "a", cancellationToken: Ct));
        Assert.Equal("a/.zarray", e.Key);
    }

    [Fact]
    public async Task AFailingChunkRequestIsThrownAsItWas()
    {
        var inner = new MemoryStore();
        var a = await ZarrArray.CreateAsync(inner, "", new ZarrArrayDefinition { Shape = [64], ChunkShape = [2], DataType = ZarrDataType.Int32, ZarrFormat = 2 }, cancellationToken: Ct);
        await a.WriteAsync(new NDArray<int>(Enumerable.Range(1, 64).ToArray(), 64), Ct);
        var failing = await ZarrArray.OpenAsync(new FailingKeyStore(inner, "17"), "", new ZarrOpenOptions { MaxConcurrency = 4 }, Ct);
        var e = await Assert.ThrowsAsync<StoreException>(() => failing.ReadAsync<int>(Selection.All, Ct));
        Assert.Equal("17", e.Key);
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task ACorruptChunkAmongManyIsACodecErrorNamingIt()
    {
        var inner = new MemoryStore();
        var a = await ZarrArray.CreateAsync(inner, "", new ZarrArrayDefinition
        {
            Shape = [64], ChunkShape = [2], DataType = ZarrDataType.Int32, ZarrFormat = 2, Compressor = new ZstdCodec(1),
        }, cancellationToken: Ct);
        await a.WriteAsync(new NDArray<int>(Enumerable.Range(1, 64).ToArray(), 64), Ct);
        await inner.SetAsync("9", new byte[] { 1, 2, 3 }, Ct);
        var e = await Assert.ThrowsAsync<ZarrCodecException>(() => a.ReadAsync<int>(Selection.All, Ct));
        Assert.Equal("9", e.Key);

        // The other chunks still read, and a cancelled read is a cancellation, not a codec or store error.
        Assert.Equal(Enumerable.Range(1, 18), (await a.ReadAsync<int>(Selection.Parse("0:18"), Ct)).Data);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.ReadAsync<int>(Selection.All, cancelled.Token));
    }
}
