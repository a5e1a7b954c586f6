using System.Runtime.CompilerServices;
using Zarr.Cloud.Caching;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// Shard indexes recently read, least recently used out, bounded in bytes: repeated reads of one shard read its
/// index once. Writes of a shard remove its entry. Arrays share one cache per store instance
/// (<see cref="ZarrArray.ShardIndexes"/>); lookups are counted as <c>zarr.cache.hits</c> / <c>zarr.cache.misses</c>
/// tagged <c>zarr.cache=shard_index</c>.
/// </summary>
public sealed class ShardIndexCache
{
    private static readonly ConditionalWeakTable<IAsyncStore, ShardIndexCache> PerStore = new();
    private readonly object _gate = new();
    private readonly LruMap<string, ShardIndex> _entries;
    private readonly CacheStatistics _stats = new("shard_index");

    /// <summary>Creates a cache.</summary>
    /// <param name="capacityBytes">The most index bytes held (16 bytes per inner chunk); default 16 MiB.</param>
    public ShardIndexCache(long capacityBytes = 16 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _entries = new LruMap<string, ShardIndex>(capacityBytes);
    }

    /// <summary>The cache the arrays of <paramref name="store"/> share (created on first use, collected with the store).</summary>
    /// <param name="store">The store instance.</param>
    internal static ShardIndexCache ForStore(IAsyncStore store) => PerStore.GetValue(store, _ => new ShardIndexCache());

    /// <summary>The most index bytes held.</summary>
    public long CapacityBytes => _entries.CapacityBytes;

    /// <summary>Lookups that found an index.</summary>
    public long Hits => _stats.Hits;

    /// <summary>Lookups that did not.</summary>
    public long Misses => _stats.Misses;

    /// <summary>The index of <paramref name="key"/>, if held.</summary>
    /// <param name="key">The shard key.</param>
    /// <param name="index">The index.</param>
    public bool TryGet(string key, out ShardIndex? index)
    {
        bool found;
        lock (_gate) found = _entries.TryGet(key, out index!);
        if (found) _stats.Hit();
        else _stats.Miss();
        return found;
    }

    /// <summary>Holds the index of <paramref name="key"/>.</summary>
    /// <param name="key">The shard key.</param>
    /// <param name="index">The index.</param>
    public void Set(string key, ShardIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        lock (_gate) _entries.Set(key, index, index.ChunkCount * 16L);
    }

    /// <summary>Forgets the index of <paramref name="key"/>.</summary>
    /// <param name="key">The shard key.</param>
    public void Remove(string key)
    {
        lock (_gate) _entries.Remove(key);
    }

    /// <summary>Forgets the indexes of every shard whose key starts with <paramref name="prefix"/>.</summary>
    internal void RemovePrefix(string prefix)
    {
        lock (_gate) _entries.RemoveWhere(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }
}
