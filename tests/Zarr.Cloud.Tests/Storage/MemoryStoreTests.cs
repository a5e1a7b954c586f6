namespace Zarr.Cloud.Tests.Storage;

public sealed class MemoryStoreTests : StoreConformanceTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new MemoryStore());

    [Fact]
    public async Task CountFollowsSetsAndDeletes()
    {
        var store = (MemoryStore)Store;
        await store.SetAsync("a", new byte[] { 1 }, Ct);
        await store.SetAsync("b/c", new byte[] { 1 }, Ct);
        await store.SetAsync("a", new byte[] { 2 }, Ct);
        Assert.Equal(2, store.Count);
        await store.DeleteAsync("a", Ct);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void CapabilitiesAreAll() => Assert.Equal(StoreCapabilities.All, Store.Capabilities);
}
