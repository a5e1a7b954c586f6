namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// How <see cref="HybridCachingStore"/> keeps chunk bytes in the application's <c>HybridCache</c> (usually over Redis),
/// shared by every instance of a service. Bound from <c>Zarr:SharedCache</c>; used once
/// <see cref="IZarrCloudBuilder.AddHybridChunkCache()"/> turns the shared cache on.
/// </summary>
public sealed class HybridChunkCacheOptions
{
    /// <summary>
    /// The largest value, in bytes, stored in the shared cache (default 4 MiB). A larger value is read from the
    /// backend each time; the cache remembers only that it is too large (a few bytes).
    /// </summary>
    public int MaxEntryBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long an entry lives in the shared (distributed) cache. Default 1 hour.</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Also keep entries in HybridCache's in-process memory cache. Default false: the SDK's own chunk cache
    /// (<see cref="ZarrCloudOptions.ChunkCacheBytes"/>) is the first level, and a second copy in memory would only
    /// double the memory used.
    /// </summary>
    public bool UseLocalCache { get; set; }
}
