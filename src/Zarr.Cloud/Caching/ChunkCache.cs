using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Caching;

/// <summary>
/// A cache of decoded chunks, bounded in bytes, least recently used out. Thread-safe; one instance may serve every
/// array of a store, and several stores: entries are keyed by the store instance, the array path and the chunk key,
/// so two stores' <c>c/0/0</c> never meet. Set it on <see cref="Arrays.ZarrOpenOptions.ChunkCache"/>.
/// </summary>
/// <remarks>
/// <para>
/// Entries hold decoded elements of fixed-size data types (strings bypass the cache); a chunk larger than
/// <see cref="MaxBytes"/> is decoded but not kept. Chunks that do not exist (read as the fill value) are not cached.
/// Inner chunks of sharded arrays are cached one by one, keyed by the shard key and the inner chunk's number.
/// </para>
/// <para>
/// Concurrent misses of one chunk share one fetch and decode (single flight): the first caller loads, the others
/// wait for it. A failed load is not cached and every waiter sees its exception. A waiter whose token is cancelled
/// stops waiting at once; the load goes on for the others and is cancelled only when every waiter has cancelled.
/// </para>
/// <para>
/// Writes, resizes and overwrites through <see cref="Arrays.ZarrArray"/> remove the entries they make stale. Data
/// changed by another process is not seen until its entries are evicted or removed with <see cref="Invalidate"/>.
/// </para>
/// <para>
/// A lookup that finds an entry, or joins a load under way, counts as a hit; a lookup that starts a load counts as
/// a miss. Both are also emitted as <c>zarr.cache.hits</c> / <c>zarr.cache.misses</c> tagged <c>zarr.cache=chunk</c>.
/// </para>
/// </remarks>
public sealed class ChunkCache
{
    private readonly object _gate = new();
    private readonly LruMap<ChunkCacheKey, byte[]> _entries;
    private readonly Dictionary<ChunkCacheKey, PendingLoad> _loads = new();
    private readonly CacheStatistics _stats = new("chunk");
    private long _generation;

    /// <summary>Creates a cache.</summary>
    /// <param name="maxBytes">The most decoded bytes held, zero or more (zero caches nothing but still shares concurrent loads).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    public ChunkCache(long maxBytes)
    {
        if (maxBytes < 0) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The chunk cache size (maxBytes) must be zero or more.");
        _entries = new LruMap<ChunkCacheKey, byte[]>(maxBytes);
    }

    /// <summary>The most decoded bytes held.</summary>
    public long MaxBytes => _entries.CapacityBytes;

    /// <summary>Lookups answered without a new load: an entry was held, or a load of it was already under way.</summary>
    public long Hits => _stats.Hits;

    /// <summary>Lookups that started a load.</summary>
    public long Misses => _stats.Misses;

    /// <summary>Entries dropped to make room for newer ones.</summary>
    public long Evictions { get { lock (_gate) return _entries.Evictions; } }

    /// <summary>The decoded bytes held now.</summary>
    public long CurrentBytes { get { lock (_gate) return _entries.CurrentBytes; } }

    /// <summary>The entries held now.</summary>
    public int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>Removes every entry (loads under way finish but are not kept).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _loads.Clear();
            _generation++;
        }
    }

    /// <summary>
    /// Removes the entries of <paramref name="store"/>'s arrays at or below <paramref name="path"/> (every array of
    /// the store for ""): call it when another process changed them.
    /// </summary>
    /// <param name="store">The store instance the arrays were opened on.</param>
    /// <param name="path">An array or group path; "" for the whole store.</param>
    /// <returns>The number of entries removed.</returns>
    public int Invalidate(IAsyncStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(path);
        long id = StoreIdentity.Of(store);
        path = StoreKeys.NormalizePath(path);
        bool Match(ChunkCacheKey k) => k.Store == id && (path.Length == 0 || k.ArrayPath == path || k.ArrayPath.StartsWith(path + "/", StringComparison.Ordinal));
        lock (_gate)
        {
            _generation++;
            foreach (var k in _loads.Keys.Where(Match).ToList()) _loads.Remove(k);
            return _entries.RemoveWhere(Match);
        }
    }

    /// <summary>A number that changes whenever entries are invalidated: a load that started before a change must not be kept.</summary>
    internal long Generation { get { lock (_gate) return _generation; } }

    /// <summary>Removes one chunk's entry (and forgets a load of it under way).</summary>
    internal void Remove(ChunkCacheKey key)
    {
        lock (_gate)
        {
            _generation++;
            _loads.Remove(key);
            _entries.Remove(key);
        }
    }

    /// <summary>The decoded chunk, if held (counts a hit or a miss).</summary>
    internal bool TryGet(ChunkCacheKey key, out byte[] decoded)
    {
        bool found;
        lock (_gate) found = _entries.TryGet(key, out decoded);
        if (found) _stats.Hit();
        else _stats.Miss();
        return found;
    }

    /// <summary>Holds a decoded chunk loaded since <paramref name="generation"/>, unless entries were invalidated meanwhile.</summary>
    internal void Set(ChunkCacheKey key, byte[] decoded, long generation)
    {
        lock (_gate)
            if (generation == _generation) _entries.Set(key, decoded, decoded.Length);
    }

    /// <summary>
    /// The decoded chunk: held, or loaded by <paramref name="load"/> (shared with concurrent callers of the same key)
    /// and kept. Null when <paramref name="load"/> returns null (the chunk does not exist). The array returned is
    /// shared: read it, never write it.
    /// </summary>
    internal async ValueTask<byte[]?> GetOrLoadAsync(ChunkCacheKey key, Func<CancellationToken, ValueTask<byte[]?>> load, CancellationToken cancellationToken)
    {
        PendingLoad pending;
        bool start = false;
        lock (_gate)
        {
            if (_entries.TryGet(key, out var held))
            {
                _stats.Hit();
                return held;
            }
            if (!_loads.TryGetValue(key, out pending!))
            {
                pending = new PendingLoad(_generation);
                _loads[key] = pending;
                start = true;
            }
            pending.Waiters++;
        }
        if (start) _stats.Miss();
        else _stats.Hit();
        if (start) _ = RunAsync(key, pending, load);
        try
        {
            return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bool last;
            lock (_gate)
            {
                last = --pending.Waiters == 0 && !pending.Completion.Task.IsCompleted;
                if (last && _loads.TryGetValue(key, out var current) && current == pending) _loads.Remove(key);
            }
            if (last) pending.Cancellation.Cancel();
            throw;
        }
    }

    private async Task RunAsync(ChunkCacheKey key, PendingLoad pending, Func<CancellationToken, ValueTask<byte[]?>> load)
    {
        try
        {
            var value = await load(pending.Cancellation.Token).ConfigureAwait(false);
            lock (_gate)
            {
                if (_loads.TryGetValue(key, out var current) && current == pending)
                {
                    _loads.Remove(key);
                    if (value is not null && pending.Generation == _generation) _entries.Set(key, value, value.Length);
                }
            }
            pending.Completion.SetResult(value);
        }
        catch (Exception e)
        {
            lock (_gate)
                if (_loads.TryGetValue(key, out var current) && current == pending) _loads.Remove(key);
            if (e is OperationCanceledException && pending.Cancellation.IsCancellationRequested) pending.Completion.SetCanceled(pending.Cancellation.Token);
            else pending.Completion.SetException(e);
        }
    }

    /// <summary>A load under way and the callers waiting for it.</summary>
    private sealed class PendingLoad(long generation)
    {
        public long Generation { get; } = generation;

        public TaskCompletionSource<byte[]?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters { get; set; }
    }
}
