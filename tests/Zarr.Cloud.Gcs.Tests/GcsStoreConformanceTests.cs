using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Arrays;
using Zarr.Cloud.Tests.Storage;

namespace Zarr.Cloud.Gcs.Tests;

/// <summary>The store contract, against the emulator, in a fresh bucket per test.</summary>
public sealed class GcsStoreConformanceTests(GcsEmulatorFixture emulator) : StoreConformanceTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => await emulator.CreateStoreAsync();
}

/// <summary>The store contract again, for a store rooted at a path inside its bucket (gs://bucket/root/dir).</summary>
public sealed class GcsStorePrefixedConformanceTests(GcsEmulatorFixture emulator) : StoreConformanceTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => await emulator.CreateStoreAsync("root/dir");
}

/// <summary>Real arrays (v2, v3, sharded, compressed; groups, consolidated metadata) over the emulator.</summary>
public sealed class GcsArrayOverStoreTests(GcsEmulatorFixture emulator) : ArrayOverStoreTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => await emulator.CreateStoreAsync("data.zarr");
}
