namespace Zarr.Cloud.Tests.Storage;

/// <summary>The concurrency limit behaves as the store it wraps, never lets more than N requests through, and lets waiters cancel.</summary>
public sealed class ConcurrencyLimitedStoreTests : StoreConformanceTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new ConcurrencyLimitedStore(new MemoryStore(), 2));

    [Fact]
    public async Task NeverMoreThanTheLimitInFlight()
    {
        var memory = new MemoryStore();
        for (int i = 0; i < 20; i++) await memory.SetAsync($"k{i}", new byte[] { (byte)i }, Ct);
        var gated = new GatedStore(memory);
        var limited = new ConcurrencyLimitedStore(gated, 3);
        gated.Close();
        var reads = Enumerable.Range(0, 20).Select(i => limited.GetAsync($"k{i}", default, Ct).AsTask()).ToList();
        await gated.WaitForWaitingAsync(3);
        await Task.Delay(50, Ct); // a fourth request, if it could get through, would reach the gate now
        Assert.Equal(3, gated.Waiting);
        Assert.Equal(3, limited.InFlight);
        gated.Open();
        var values = await Task.WhenAll(reads);
        for (int i = 0; i < 20; i++) Assert.Equal((byte)i, values[i]!.Span[0]);
        Assert.Equal(3, gated.MaxInFlight);
        Assert.Equal(0, limited.InFlight);

        // Ranges: each merged request takes a slot.
        var big = Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray();
        await memory.SetAsync("big", big, Ct);
        var far = Enumerable.Range(0, 10).Select(i => ByteRange.Bounded(i * 100_000L, 10)).ToList();
        var parts = await limited.GetRangesAsync("big", far, Ct);
        Assert.Equal(big.AsSpan(300_000, 10).ToArray(), parts[3]!.ToArray());
        Assert.True(gated.MaxInFlight <= 3);
    }

    [Fact]
    public async Task AWaitingCallerCanCancel()
    {
        var memory = new MemoryStore();
        await memory.SetAsync("k", new byte[] { 1 }, Ct);
        var gated = new GatedStore(memory);
        var limited = new ConcurrencyLimitedStore(gated, 1);
        gated.Close();
        var holder = limited.GetAsync("k", default, Ct).AsTask();
        await gated.WaitForWaitingAsync(1);
        using var cts = new CancellationTokenSource();
        var waiter = limited.GetAsync("k", default, cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.Equal(1, gated.Reads); // the cancelled caller never reached the store
        gated.Open();
        Assert.NotNull(await holder);
        Assert.Equal(0, limited.InFlight);
    }

    [Fact]
    public async Task ListingHoldsASlotOnlyWhileFetching()
    {
        var memory = new MemoryStore();
        for (int i = 0; i < 3; i++) await memory.SetAsync($"p/{i}", new byte[] { 1 }, Ct);
        var limited = new ConcurrencyLimitedStore(memory, 1);
        var keys = new List<string>();
        await foreach (var key in limited.ListAsync("p/", Ct))
        {
            // The caller holds a key, not a slot: a read inside the loop gets through.
            Assert.Equal(0, limited.InFlight);
            Assert.NotNull(await limited.GetAsync(key, default, Ct));
            keys.Add(key);
        }
        Assert.Equal(3, keys.Count);
    }

    [Fact]
    public void ALimitBelowOneIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimitedStore(new MemoryStore(), 0));
        Assert.Contains("MaxInFlightRequests", e.Message);
    }
}
