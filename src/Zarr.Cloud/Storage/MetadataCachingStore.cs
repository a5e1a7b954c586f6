using Zarr.Cloud.Caching;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Keeps the metadata documents read through it (<c>zarr.json</c>, <c>.zarray</c>, <c>.zgroup</c>, <c>.zattrs</c>,
/// <c>.zmetadata</c>), and that they are missing, so that opening nodes again costs no request. Writes and deletes
/// of those keys through it replace the entry; changes made by another process are not seen until the store is
/// opened again. Bounded in bytes (each entry costs its size plus 64 bytes), least recently used out.
/// <see cref="StoreResolver"/> adds it unless <see cref="StoreOpenOptions.MetadataCacheBytes"/> is 0. Lookups are
/// counted as <c>zarr.cache.hits</c> / <c>zarr.cache.misses</c> tagged <c>zarr.cache=metadata</c>.
/// </summary>
public sealed class MetadataCachingStore : DelegatingStore
{
    private const long EntryOverhead = 64;
    private static readonly byte[] Missing = [];
    private readonly object _gate = new();
    private readonly LruMap<string, byte[]> _documents;
    private readonly CacheStatistics _stats = new("metadata");
    private long _generation;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The wrapped store.</param>
    /// <param name="maxBytes">The most bytes of documents held, 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is less than 1.</exception>
    public MetadataCachingStore(IAsyncStore inner, long maxBytes = 16 << 20) : base(inner)
    {
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "MetadataCacheBytes must be at least 1 (0 means no metadata cache: leave this layer out).");
        _documents = new LruMap<string, byte[]>(maxBytes);
    }

    /// <summary>Reads of a metadata document answered from the cache.</summary>
    public long Hits => _stats.Hits;

    /// <summary>Reads of a metadata document that went to the wrapped store.</summary>
    public long Misses => _stats.Misses;

    /// <summary>True for the keys this cache keeps: Zarr v2 and v3 metadata documents.</summary>
    /// <param name="key">A store key.</param>
    public static bool IsMetadataKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key.AsSpan(key.LastIndexOf('/') + 1);
        return name is "zarr.json" or ".zarray" or ".zgroup" or ".zattrs" or ".zmetadata";
    }

    /// <summary>Forgets every document.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _documents.Clear();
            _generation++;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        if (!IsMetadataKey(key)) return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        byte[]? held;
        long generation;
        lock (_gate)
        {
            if (!_documents.TryGet(key, out held)) held = null;
            generation = _generation;
        }
        if (held is not null)
        {
            if (ReferenceEquals(held, Missing))
            {
                _stats.Hit();
                return null;
            }
            if (range.IsAll || (range.Kind == ByteRangeKind.Bounded && range.Offset + range.Length <= held.Length))
            {
                _stats.Hit();
                var slice = range.IsAll ? held : held.AsMemory((int)range.Offset, (int)range.Length);
                return new StoreValue(slice, null, held.Length);
            }
        }
        if (!range.IsAll) return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        _stats.Miss();
        var value = await Inner.GetAsync(key, default, cancellationToken).ConfigureAwait(false);
        var document = value is null ? Missing : value.ToArray();
        lock (_gate)
            if (generation == _generation) _documents.Set(key, document, document.Length + EntryOverhead);
        return value;
    }

    /// <inheritdoc />
    public override async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        Forget(key);
        await Inner.SetAsync(key, value, cancellationToken).ConfigureAwait(false);
        Forget(key);
    }

    /// <inheritdoc />
    public override async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Forget(key);
        await Inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        Forget(key);
    }

    private void Forget(string key)
    {
        if (!IsMetadataKey(key)) return;
        lock (_gate)
        {
            _documents.Remove(key);
            _generation++;
        }
    }
}
