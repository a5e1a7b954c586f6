namespace Zarr.Cloud.Tests.Support;

/// <summary>Makes the stores array tests run against ("memory", "file"), cleaning up folders on dispose.</summary>
public sealed class StoreKinds : IDisposable
{
    private readonly List<TempDirectory> _folders = [];

    public IAsyncStore Create(string kind)
    {
        if (kind == "memory") return new MemoryStore();
        var t = new TempDirectory();
        _folders.Add(t);
        return new FileSystemStore(t.Path);
    }

    public string FolderOf(IAsyncStore store) => ((FileSystemStore)store).Root;

    public void Dispose()
    {
        foreach (var f in _folders) f.Dispose();
    }
}
