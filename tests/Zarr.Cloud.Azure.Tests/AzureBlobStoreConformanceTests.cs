using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Arrays;
using Zarr.Cloud.Tests.Storage;

namespace Zarr.Cloud.Azure.Tests;

/// <summary>The store contract, against Azurite, in a fresh container per test.</summary>
public sealed class AzureBlobStoreConformanceTests(AzuriteFixture azurite) : StoreConformanceTests
{
    private AzureBlobStore? _store;

    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => _store = await azurite.CreateStoreAsync();

    protected override ValueTask DisposeStoreAsync() => azurite.DeleteStoreAsync(_store);
}

/// <summary>The store contract again, for a store rooted at a path inside its container (az://container/root/dir).</summary>
public sealed class AzureBlobStorePrefixedConformanceTests(AzuriteFixture azurite) : StoreConformanceTests
{
    private AzureBlobStore? _store;

    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => _store = await azurite.CreateStoreAsync("root/dir");

    protected override ValueTask DisposeStoreAsync() => azurite.DeleteStoreAsync(_store);
}

/// <summary>Real arrays (v2, v3, sharded, compressed; groups, consolidated metadata) over Azurite.</summary>
public sealed class AzureArrayOverStoreTests(AzuriteFixture azurite) : ArrayOverStoreTests
{
    private AzureBlobStore? _store;

    protected override async ValueTask<IAsyncStore> CreateStoreAsync() => _store = await azurite.CreateStoreAsync("data.zarr");

    protected override ValueTask DisposeStoreAsync() => azurite.DeleteStoreAsync(_store);
}
