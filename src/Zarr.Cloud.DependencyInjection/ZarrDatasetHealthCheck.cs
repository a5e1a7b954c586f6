using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// Healthy when the dataset's root metadata can be read now: the dataset is opened (once, shared) and its root
/// metadata document is read again from the store on every check, past the metadata cache. Unhealthy with the error's message otherwise
/// (store messages carry no secrets).
/// </summary>
/// <param name="datasets">The datasets.</param>
/// <param name="name">The dataset checked.</param>
internal sealed class ZarrDatasetHealthCheck(IZarrDatasets datasets, string name) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var node = await datasets.OpenAsync(name, cancellationToken).ConfigureAwait(false);
            var key = StoreKeys.Join(node.Path, MetadataDocumentOf(node));
            using var document = await BelowMetadataCache(node.Store).GetAsync(key, default, cancellationToken).ConfigureAwait(false);
            if (document is null)
                return new HealthCheckResult(context.Registration.FailureStatus, $"The root metadata '{key}' of the Zarr dataset '{name}' is gone.");
            return HealthCheckResult.Healthy($"The Zarr dataset '{name}' is readable (v{node.ZarrFormat} {(node is ZarrArray ? "array" : "group")}).");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The Zarr dataset '{name}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The layer under the store's <see cref="MetadataCachingStore"/>, which would answer from memory what it read when
    /// the dataset was opened: the check asks the store itself (through its retry, limit and instrumentation layers).
    /// </summary>
    private static IAsyncStore BelowMetadataCache(IAsyncStore store)
    {
        for (var layer = store; layer is DelegatingStore middleware; layer = middleware.Inner)
            if (middleware is MetadataCachingStore) return middleware.Inner;
        return store;
    }

    /// <summary>The document that holds a node's own metadata.</summary>
    private static string MetadataDocumentOf(ZarrNode node) => (node.ZarrFormat, node) switch
    {
        (3, _) => "zarr.json",
        (_, ZarrArray) => ".zarray",
        _ => ".zgroup",
    };
}
