namespace Zarr.Cloud.Tests.Storage;

/// <summary>The instrumented wrapper must behave as the store it wraps (it derives from DelegatingStore), and count.</summary>
public sealed class InstrumentedStoreTests : StoreConformanceTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new InstrumentedStore(new MemoryStore()));

    private InstrumentedStore Counted => (InstrumentedStore)Store;

    [Fact]
    public async Task CountsEveryKindOfRequestAndTheBytes()
    {
        await Store.SetAsync("a", new byte[10], Ct);
        await Store.SetAsync("b/c", new byte[5], Ct);
        Assert.Equal(2, Counted.Writes);
        Assert.Equal(15, Counted.BytesWritten);
        Assert.Equal(0, Counted.Reads);

        (await Store.GetAsync("a", default, Ct))!.Dispose();
        Assert.Null(await Store.GetAsync("missing", default, Ct));
        (await Store.GetAsync("a", ByteRange.Suffix(3), Ct))!.Dispose();
        Assert.Equal(3, Counted.Reads);
        Assert.Equal(13, Counted.BytesRead);

        var ranges = await Store.GetRangesAsync("b/c", [ByteRange.Bounded(0, 1), ByteRange.Bounded(1, 2), ByteRange.All], Ct);
        Assert.Equal(3, ranges.Count);
        Assert.Equal(5, Counted.Reads); // the two adjacent ranges are one coalesced request
        Assert.Equal(13 + 1 + 2 + 5, Counted.BytesRead);

        await Store.DeleteAsync("a", Ct);
        await Store.DeleteAsync("missing", Ct);
        Assert.Equal(2, Counted.Deletes);

        await foreach (var _ in Store.ListAsync("", Ct)) { }
        Assert.Equal(1, Counted.Lists);

        Assert.Equal(5 + 2 + 2 + 1, Counted.Requests);
    }

    [Fact]
    public async Task ResetSetsEveryCounterToZero()
    {
        await Store.SetAsync("a", new byte[10], Ct);
        (await Store.GetAsync("a", default, Ct))!.Dispose();
        await Store.DeleteAsync("a", Ct);
        await foreach (var _ in Store.ListAsync("", Ct)) { }
        Assert.Equal(4, Counted.Requests);
        Counted.Reset();
        Assert.Equal(0, Counted.Requests);
        Assert.Equal(0, Counted.Reads);
        Assert.Equal(0, Counted.BytesRead);
        Assert.Equal(0, Counted.Writes);
        Assert.Equal(0, Counted.BytesWritten);
        Assert.Equal(0, Counted.Deletes);
        Assert.Equal(0, Counted.Lists);
    }

    [Fact]
    public async Task ConcurrentReadsAreAllCounted()
    {
        await Store.SetAsync("k", new byte[3], Ct);
        Counted.Reset();
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { CancellationToken = Ct }, async (_, ct) => (await Store.GetAsync("k", default, ct))!.Dispose());
        Assert.Equal(200, Counted.Reads);
        Assert.Equal(600, Counted.BytesRead);
    }

    [Fact]
    public void ForwardsCapabilitiesAndNamesTheInnerStore()
    {
        var inner = new MemoryStore();
        var s = new InstrumentedStore(inner);
        Assert.Equal(inner.Capabilities, s.Capabilities);
        Assert.Same(inner, s.Inner);
        Assert.Contains("MemoryStore", s.ToString());
        Assert.StartsWith("InstrumentedStore", s.ToString());
    }
}
