namespace Zarr.Cloud.Tests.Storage;

/// <summary>The single-flight layer behaves as the store it wraps, and shares concurrent identical reads.</summary>
public sealed class SingleFlightStoreTests : StoreConformanceTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new SingleFlightStore(new MemoryStore()));

    private static async Task<(SingleFlightStore Store, GatedStore Gated)> GatedAsync(byte[] value)
    {
        var memory = new MemoryStore();
        await memory.SetAsync("k", value, Ct);
        var gated = new GatedStore(memory);
        return (new SingleFlightStore(gated), gated);
    }

    [Fact]
    public async Task ConcurrentReadsOfOneKeyAndRangeShareOneRequestAndEachOwnsItsValue()
    {
        var bytes = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var (store, gated) = await GatedAsync(bytes);
        gated.Close();
        var reads = Enumerable.Range(0, 6).Select(_ => store.GetAsync("k", ByteRange.Bounded(10, 20), Ct).AsTask()).ToList();
        var other = store.GetAsync("k", ByteRange.Bounded(0, 5), Ct).AsTask(); // another range: its own request
        await gated.WaitForWaitingAsync(2);
        gated.Open();
        var values = await Task.WhenAll(reads);
        Assert.Equal(2, gated.Reads);
        Assert.Equal(5, store.SharedRequests);
        // Disposing one caller's value must not disturb another's.
        values[0]!.Dispose();
        foreach (var v in values.Skip(1))
        {
            Assert.Equal(bytes[10..30], v!.ToArray());
            v.Dispose();
        }
        Assert.Equal(bytes[0..5], (await other)!.ToArray());
        // Nothing is cached: a later read is a new request.
        (await store.GetAsync("k", ByteRange.Bounded(10, 20), Ct))!.Dispose();
        Assert.Equal(3, gated.Reads);
    }

    [Fact]
    public async Task AFailureReachesEveryWaiter()
    {
        var (store, gated) = await GatedAsync([1, 2, 3]);
        gated.Close();
        gated.Failure = new StoreException("k", "gated", "refused", 503, isTransient: true);
        var reads = Enumerable.Range(0, 3).Select(_ => store.GetAsync("k", default, Ct).AsTask()).ToList();
        await gated.WaitForWaitingAsync(1);
        await Task.Delay(50, Ct);
        gated.Open();
        foreach (var r in reads) Assert.Equal(503, (await Assert.ThrowsAsync<StoreException>(() => r)).Status);
        Assert.Equal(1, gated.Reads);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesTheRequestToTheOthers_AllCancelledCancelsIt()
    {
        var (store, gated) = await GatedAsync([1, 2, 3]);
        gated.Close();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = store.GetAsync("k", default, first.Token).AsTask();
        await gated.WaitForWaitingAsync(1);
        var b = store.GetAsync("k", default, second.Token).AsTask();
        var c = store.GetAsync("k", default, Ct).AsTask();
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.Equal(1, gated.Waiting); // the request is still under way
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        gated.Open();
        Assert.Equal(new byte[] { 1, 2, 3 }, (await c)!.ToArray());
        Assert.Equal(1, gated.Reads);

        gated.Close();
        using var only = new CancellationTokenSource();
        var d = store.GetAsync("k", default, only.Token).AsTask();
        await gated.WaitForWaitingAsync(1);
        await only.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => d);
        for (int i = 0; i < 500 && gated.Waiting > 0; i++) await Task.Delay(10, Ct);
        Assert.Equal(0, gated.Waiting); // every waiter cancelled: the backend request was cancelled too
    }
}
