using Microsoft.Extensions.DependencyInjection;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>Configures Zarr.Cloud further after <see cref="ZarrCloudServiceCollectionExtensions.AddZarrCloud(IServiceCollection, System.Action{ZarrCloudOptions}?)"/>.</summary>
public interface IZarrCloudBuilder
{
    /// <summary>The services being configured.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Adds (or replaces the URL of) the dataset <paramref name="name"/>, e.g.
    /// <c>.AddDataset("sst", "s3://mur-sst/zarr-v1", o =&gt; o.Anonymous = true)</c>. Applied after configuration binding
    /// that was registered before it, so it overrides the same keys.
    /// </summary>
    /// <param name="name">The name the dataset is opened by (case-insensitive).</param>
    /// <param name="url">Its URL or local path.</param>
    /// <param name="configure">Sets its other options; null for defaults (read-only, with credentials).</param>
    IZarrCloudBuilder AddDataset(string name, string url, Action<ZarrDatasetOptions>? configure = null);

    /// <summary>
    /// Turns on the shared second-level chunk cache (<see cref="HybridCachingStore"/>) through the application's
    /// <c>HybridCache</c>. Register its distributed cache yourself, e.g. <c>services.AddStackExchangeRedisCache(...)</c>;
    /// <c>AddHybridCache()</c> is called here if it was not. Options are bound from <c>Zarr:SharedCache</c>.
    /// </summary>
    IZarrCloudBuilder AddHybridChunkCache();

    /// <summary>Turns on the shared second-level chunk cache, as <see cref="AddHybridChunkCache()"/>, and sets its options.</summary>
    /// <param name="configure">Sets the options.</param>
    IZarrCloudBuilder AddHybridChunkCache(Action<HybridChunkCacheOptions> configure);
}
