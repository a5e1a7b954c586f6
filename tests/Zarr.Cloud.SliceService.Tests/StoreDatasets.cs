using Zarr.Cloud.Arrays;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>The datasets of a test: one, "demo", on a store the test gives.</summary>
public sealed class StoreDatasets(IAsyncStore store) : IZarrDatasets
{
    public IReadOnlyCollection<string> Names => ["demo"];

    public bool Contains(string name) => name == "demo";

    public async ValueTask<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default) =>
        await ZarrNode.OpenAsync(store, "", null, cancellationToken);

    public async ValueTask<ZarrArray> OpenArrayAsync(string name, string arrayPath, CancellationToken cancellationToken = default) =>
        await ((ZarrGroup)await OpenAsync(name, cancellationToken)).OpenArrayAsync(arrayPath, cancellationToken);
}
