namespace Zarr.Cloud.Caching;

/// <summary>
/// A map bounded in bytes, least recently used out: the bookkeeping the chunk, shard index and metadata caches share.
/// Not thread-safe: the owning cache locks around every call.
/// </summary>
internal sealed class LruMap<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value, long Size)>> _map = new();
    private readonly LinkedList<(TKey Key, TValue Value, long Size)> _order = new();

    public LruMap(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long CurrentBytes { get; private set; }

    public int Count => _map.Count;

    public long Evictions { get; private set; }

    /// <summary>The value of <paramref name="key"/>, which becomes the most recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Holds <paramref name="value"/>, evicting the least recently used entries to make room; false (and nothing held) when it alone is larger than the capacity.</summary>
    public bool Set(TKey key, TValue value, long size)
    {
        Remove(key);
        if (size > CapacityBytes) return false;
        _map[key] = _order.AddFirst((key, value, size));
        CurrentBytes += size;
        while (CurrentBytes > CapacityBytes && _order.Last is { } last)
        {
            Remove(last.Value.Key);
            Evictions++;
        }
        return true;
    }

    public bool Remove(TKey key)
    {
        if (!_map.Remove(key, out var node)) return false;
        _order.Remove(node);
        CurrentBytes -= node.Value.Size;
        return true;
    }

    /// <summary>Removes every entry whose key matches; returns how many.</summary>
    public int RemoveWhere(Func<TKey, bool> match)
    {
        var doomed = _map.Keys.Where(match).ToList();
        foreach (var k in doomed) Remove(k);
        return doomed.Count;
    }

    public void Clear()
    {
        _map.Clear();
        _order.Clear();
        CurrentBytes = 0;
    }
}
