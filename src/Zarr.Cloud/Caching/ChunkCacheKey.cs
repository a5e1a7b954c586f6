namespace Zarr.Cloud.Caching;

/// <summary>What a chunk cache entry is keyed by: the store instance, the array path, the chunk key, and the inner chunk number in a shard (-1 for a whole chunk).</summary>
internal readonly record struct ChunkCacheKey(long Store, string ArrayPath, string ChunkKey, int Inner);
