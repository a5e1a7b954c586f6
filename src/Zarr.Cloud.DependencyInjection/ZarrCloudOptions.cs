using Zarr.Cloud.Storage;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// Options of <see cref="ZarrCloudServiceCollectionExtensions.AddZarrCloud(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>,
/// usually bound from the configuration section <c>Zarr</c>. Validated when the application starts: a wrong value is an
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> that names its configuration key.
/// </summary>
public sealed class ZarrCloudOptions
{
    /// <summary>The named datasets (<c>Zarr:Datasets:&lt;name&gt;:Url</c> and so on). Names are case-insensitive.</summary>
    public Dictionary<string, ZarrDatasetOptions> Datasets { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bytes of decoded chunks kept in memory, shared by every dataset. Default 256 MiB; 0 turns the cache off.</summary>
    public long ChunkCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most requests in flight at once against one dataset's store. Default 64.</summary>
    public int MaxInFlightRequests { get; set; } = 64;

    /// <summary>Chunks fetched and decoded at once by one read. Default 64.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>How transient store failures are retried (<c>Zarr:Resilience:MaxAttempts</c> and so on).</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>The shared second-level cache (<c>Zarr:SharedCache</c>), used once <see cref="IZarrCloudBuilder.AddHybridChunkCache()"/> is called.</summary>
    public HybridChunkCacheOptions SharedCache { get; set; } = new();
}
