using Zarr.Cloud.Codecs.Sharding;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// Shard indexes recently read, least recently used out, bounded in bytes: repeated reads of one shard read its
/// index once. Writes of a shard remove its entry.
/// </summary>
public sealed class ShardIndexCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, ShardIndex Index)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, ShardIndex Index)> _order = new();
    private long _bytes;
    private long _hits;
    private long _misses;

    /// <summary>Creates a cache.</summary>
    /// <param name="capacityBytes">The most index bytes held (16 bytes per inner chunk); default 16 MiB.</param>
    public ShardIndexCache(long capacityBytes = 16 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    /// <summary>The most index bytes held.</summary>
    public long CapacityBytes { get; }

    /// <summary>Lookups that found an index.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that did not.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The index of <paramref name="key"/>, if held.</summary>
    /// <param name="key">The shard key.</param>
    /// <param name="index">The index.</param>
    public bool TryGet(string key, out ShardIndex? index)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                index = node.Value.Index;
                _hits++;
                return true;
            }
            _misses++;
            index = null;
            return false;
        }
    }

    /// <summary>Holds the index of <paramref name="key"/>.</summary>
    /// <param name="key">The shard key.</param>
    /// <param name="index">The index.</param>
    public void Set(string key, ShardIndex index)
    {
        long size = index.ChunkCount * 16L;
        if (size > CapacityBytes) return;
        lock (_gate)
        {
            RemoveLocked(key);
            _map[key] = _order.AddFirst((key, index));
            _bytes += size;
            while (_bytes > CapacityBytes && _order.Last is { } last) RemoveLocked(last.Value.Key);
        }
    }

    /// <summary>Forgets the index of <paramref name="key"/>.</summary>
    /// <param name="key">The shard key.</param>
    public void Remove(string key)
    {
        lock (_gate) RemoveLocked(key);
    }

    private void RemoveLocked(string key)
    {
        if (!_map.Remove(key, out var node)) return;
        _order.Remove(node);
        _bytes -= node.Value.Index.ChunkCount * 16L;
    }
}
