using Zarr.Cloud.Caching;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>
/// The shared chunk cache's counters since the service started (GET /api/stats): every dataset's decoded chunks go
/// through this one cache (Zarr:ChunkCacheBytes; all zero when it is 0).
/// </summary>
/// <param name="Hits">Chunk lookups answered from the cache (or by joining a read under way).</param>
/// <param name="Misses">Chunk lookups that read and decoded the chunk.</param>
/// <param name="Evictions">Chunks dropped to stay within <paramref name="MaxBytes"/>.</param>
/// <param name="Entries">Chunks held now.</param>
/// <param name="Bytes">Decoded bytes held now.</param>
/// <param name="MaxBytes">The cache's size.</param>
public sealed record ChunkCacheStats(long Hits, long Misses, long Evictions, int Entries, long Bytes, long MaxBytes)
{
    /// <summary>Hits over lookups, 0 to 1; null before the first lookup.</summary>
    public double? HitRatio => Hits + Misses == 0 ? null : (double)Hits / (Hits + Misses);

    /// <summary>The counters of <paramref name="cache"/> now.</summary>
    /// <param name="cache">The service's chunk cache.</param>
    public static ChunkCacheStats Of(ChunkCache cache) => new(cache.Hits, cache.Misses, cache.Evictions, cache.Count, cache.CurrentBytes, cache.MaxBytes);
}
