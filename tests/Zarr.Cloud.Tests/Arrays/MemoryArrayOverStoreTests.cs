using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Arrays;

public sealed class MemoryArrayOverStoreTests : ArrayOverStoreTests
{
    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new MemoryStore());
}

public sealed class FileSystemArrayOverStoreTests : ArrayOverStoreTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"zarrcloud-arrays-{Guid.NewGuid():N}");

    protected override ValueTask<IAsyncStore> CreateStoreAsync() => ValueTask.FromResult<IAsyncStore>(new FileSystemStore(_dir));

    protected override ValueTask DisposeStoreAsync()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
        return ValueTask.CompletedTask;
    }
}
