using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>The <see cref="IZarrCloudBuilder"/> returned by AddZarrCloud.</summary>
/// <param name="services">The services being configured.</param>
internal sealed class ZarrCloudBuilder(IServiceCollection services) : IZarrCloudBuilder
{
    /// <summary>Room for the entry header and ETag above <see cref="HybridChunkCacheOptions.MaxEntryBytes"/>.</summary>
    private const int EntryOverhead = 2048;

    /// <inheritdoc />
    public IServiceCollection Services { get; } = services;

    /// <inheritdoc />
    public IZarrCloudBuilder AddDataset(string name, string url, Action<ZarrDatasetOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        Services.Configure<ZarrCloudOptions>(o =>
        {
            if (!o.Datasets.TryGetValue(name, out var dataset) || dataset is null) o.Datasets[name] = dataset = new ZarrDatasetOptions();
            dataset.Url = url;
            configure?.Invoke(dataset);
        });
        return this;
    }

    /// <inheritdoc />
    public IZarrCloudBuilder AddHybridChunkCache()
    {
        Services.AddHybridCache();
        Services.TryAddSingleton<SharedChunkCacheActivation>();
        // HybridCache refuses payloads above MaximumPayloadBytes (1 MiB by default): make room for the largest entry.
        Services.AddOptions<HybridCacheOptions>().PostConfigure<IOptions<ZarrCloudOptions>>((hybrid, zarr) =>
        {
            var needed = (long)zarr.Value.SharedCache.MaxEntryBytes + EntryOverhead;
            if (hybrid.MaximumPayloadBytes < needed) hybrid.MaximumPayloadBytes = needed;
        });
        return this;
    }

    /// <inheritdoc />
    public IZarrCloudBuilder AddHybridChunkCache(Action<HybridChunkCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure<ZarrCloudOptions>(o => configure(o.SharedCache));
        return AddHybridChunkCache();
    }
}
