namespace Zarr.Cloud.Tests.Storage;

public sealed class FileSystemStoreTests : StoreConformanceTests
{
    private readonly TempDirectory _temp = new();

    // A root that does not exist yet: the first write creates it.
    private string Root => Path.Combine(_temp.Path, "store");

    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new FileSystemStore(Root));

    protected override ValueTask DisposeStoreAsync()
    {
        _temp.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task KeysAreFilesBelowTheRoot()
    {
        await Store.SetAsync("a/b/c.bin", new byte[] { 7, 8 }, Ct);
        Assert.Equal(new byte[] { 7, 8 }, await File.ReadAllBytesAsync(Path.Combine(Root, "a", "b", "c.bin"), Ct));
        await File.WriteAllBytesAsync(Path.Combine(Root, "a", "outside-write"), [5], Ct);
        Assert.Equal(new byte[] { 5 }, await GetBytesAsync("a/outside-write"));
    }

    [Fact]
    public async Task AnotherInstanceOnTheSameRootSeesTheValues()
    {
        await Store.SetAsync("x/y", new byte[] { 1, 2, 3 }, Ct);
        var other = new FileSystemStore(Root + "/");
        using var v = await other.GetAsync("x/y", default, Ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, v!.ToArray());
    }

    [Fact]
    public async Task AtomicWritesLeaveNoTemporaryFileVisibleToList()
    {
        // Many writers of one key and a lister racing them: the lister must only ever see the key itself.
        var writers = Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct },
            async (i, ct) => await Store.SetAsync("d/key", TestData.RandomBytes(2000, i), ct));
        var seen = new HashSet<string>();
        while (!writers.IsCompleted)
        {
            await foreach (var k in Store.ListAsync("", Ct)) seen.Add(k);
            await foreach (var k in Store.ListAsync("d/", Ct)) seen.Add(k);
        }
        await writers;
        Assert.Subset(new HashSet<string> { "d/key" }, seen);
        Assert.Equal(["d/key"], await ListAsync());
        var files = Directory.GetFiles(Root, "*", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(Root, "d", "key")], files);
    }

    [Fact]
    public async Task StrayTemporaryFilesFromACrashAreNotListed()
    {
        await Store.SetAsync("d/real", new byte[] { 1 }, Ct);
        await File.WriteAllBytesAsync(Path.Combine(Root, "d", ".zarrcloud-tmp-0123456789abcdef"), [1, 2], Ct);
        Assert.Equal(["d/real"], await ListAsync());
        Assert.Equal(["d/real"], await ListAsync("d/"));
    }

    [Theory]
    [InlineData("../escaped")]
    [InlineData("a/../../escaped")]
    [InlineData("a/../../../../../../../../tmp/escaped")]
    public async Task AKeyEscapingTheRootIsRejected(string key)
    {
        await Store.SetAsync("inside", new byte[] { 1 }, Ct);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetAsync(key, new byte[] { 1 }, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.GetAsync(key, default, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.DeleteAsync(key, Ct));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "escaped")));
        Assert.Equal(["store"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ASiblingFolderWhoseNameExtendsTheRootIsNotReachable()
    {
        // Root ".../store" must not reach ".../store-sibling" (a prefix test without a separator would allow it).
        Directory.CreateDirectory(Root + "-sibling");
        await File.WriteAllBytesAsync(Path.Combine(Root + "-sibling", "secret"), [42], Ct);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.GetAsync("../store-sibling/secret", default, Ct));
    }

    [Fact]
    public async Task AReadOnlyStoreRefusesWritesAndDeletesButReads()
    {
        await Store.SetAsync("k", new byte[] { 1, 2 }, Ct);
        var ro = new FileSystemStore(Root, readOnly: true);
        Assert.True(ro.ReadOnly);
        Assert.False(ro.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.True(ro.Capabilities.HasFlag(StoreCapabilities.Read));
        var set = await Assert.ThrowsAsync<StoreException>(async () => await ro.SetAsync("k", new byte[] { 9 }, Ct));
        Assert.Equal("k", set.Key);
        Assert.Contains("read-only", set.Message);
        await Assert.ThrowsAsync<StoreException>(async () => await ro.SetAsync("new", new byte[] { 9 }, Ct));
        await Assert.ThrowsAsync<StoreException>(async () => await ro.DeleteAsync("k", Ct));
        using var v = await ro.GetAsync("k", default, Ct);
        Assert.Equal(new byte[] { 1, 2 }, v!.ToArray());
        Assert.Equal(new byte[] { 1, 2 }, await File.ReadAllBytesAsync(Path.Combine(Root, "k"), Ct));
        Assert.False(File.Exists(Path.Combine(Root, "new")));
    }

    [Fact]
    public async Task ListingARootThatDoesNotExistIsEmpty()
    {
        var s = new FileSystemStore(Path.Combine(_temp.Path, "nowhere"));
        await foreach (var _ in s.ListAsync("", Ct)) Assert.Fail("listed a key of a missing folder");
        using var v = await s.GetAsync("a", default, Ct);
        Assert.Null(v);
    }

    [Fact]
    public async Task ToStringNamesTheRoot()
    {
        await Task.CompletedTask;
        Assert.Contains(Root, Store.ToString());
    }
}
