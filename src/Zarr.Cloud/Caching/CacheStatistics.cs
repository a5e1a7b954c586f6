using System.Diagnostics;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.Caching;

/// <summary>Hit and miss counts of one cache, also emitted as <see cref="ZarrCloudTelemetry.CacheHits"/> and <see cref="ZarrCloudTelemetry.CacheMisses"/> tagged <c>zarr.cache</c>.</summary>
internal sealed class CacheStatistics(string cacheName)
{
    private readonly KeyValuePair<string, object?> _tag = new("zarr.cache", cacheName);
    private long _hits;
    private long _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public void Hit()
    {
        Interlocked.Increment(ref _hits);
        ZarrCloudTelemetry.CacheHits.Add(1, _tag);
    }

    public void Miss()
    {
        Interlocked.Increment(ref _misses);
        ZarrCloudTelemetry.CacheMisses.Add(1, _tag);
    }
}
