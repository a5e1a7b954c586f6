using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zarr.Cloud.Diagnostics;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// A second-level cache of stored bytes shared by many processes: values and byte ranges read through this store are
/// kept in a <see cref="HybridCache"/> (usually over Redis), so that what one instance of a service fetched from the
/// backend, the others read from the cache. Keys are the store's <c>partition</c> (the same for every instance reading
/// the same data), the store key and the byte range.
/// </summary>
/// <remarks>
/// <para>
/// Metadata documents (<c>zarr.json</c>, <c>.zarray</c>, <c>.zgroup</c>, <c>.zattrs</c>, <c>.zmetadata</c>) are never
/// cached: they are small, and a stale one would misdescribe every chunk. A value that does not exist is cached as
/// an explicit "missing" entry (a missing chunk is the fill value), never as empty bytes. A value larger than
/// <see cref="HybridChunkCacheOptions.MaxEntryBytes"/> is not stored; the cache keeps only a marker that sends later
/// reads of it straight to the backend. Writes and deletes through this store go to the backend and then remove the
/// key's entries (by tag); nothing is cached on a write. Errors are never cached.
/// </para>
/// <para>
/// An entry that does not decode (a foreign or damaged cache value) is ignored and the backend is read. Concurrent
/// reads of one uncached value in one process share one backend request (HybridCache's stampede protection).
/// Lookups are counted as <c>zarr.cache.hits</c> / <c>zarr.cache.misses</c> tagged <c>zarr.cache=shared</c>.
/// </para>
/// </remarks>
public sealed partial class HybridCachingStore : DelegatingStore
{
    private const byte Missing = 0;
    private const byte Present = 1;
    private const byte TooLarge = 2;
    private const int HeaderBytes = 1 + 8 + 2; // kind, total length (-1 unknown), ETag length

    private static readonly KeyValuePair<string, object?> CacheTag = new("zarr.cache", "shared");

    private readonly HybridCache _cache;
    private readonly string _partition;
    private readonly int _maxEntryBytes;
    private readonly HybridCacheEntryOptions _entryOptions;
    private readonly HybridCacheEntryOptions _probeOptions;
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store whose values are cached (usually the whole store stack of a dataset).</param>
    /// <param name="cache">The shared cache.</param>
    /// <param name="partition">
    /// A name for the data behind <paramref name="inner"/> that is the same in every process reading it and differs
    /// between datasets (the DI package uses a hash of the dataset URL). It must not contain secrets.
    /// </param>
    /// <param name="options">Options; null for defaults.</param>
    /// <param name="logger">Where undecodable cache entries are reported; null for none.</param>
    public HybridCachingStore(IAsyncStore inner, HybridCache cache, string partition, HybridChunkCacheOptions? options = null, ILogger? logger = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        options ??= new HybridChunkCacheOptions();
        if (options.MaxEntryBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxEntryBytes, "HybridChunkCacheOptions.MaxEntryBytes must be at least 1.");
        if (options.Expiration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), options.Expiration, "HybridChunkCacheOptions.Expiration must be positive.");
        _cache = cache;
        _partition = partition;
        _maxEntryBytes = options.MaxEntryBytes;
        var local = options.UseLocalCache ? HybridCacheEntryFlags.None : HybridCacheEntryFlags.DisableLocalCache;
        _entryOptions = new HybridCacheEntryOptions { Expiration = options.Expiration, LocalCacheExpiration = options.Expiration, Flags = local };
        _probeOptions = new HybridCacheEntryOptions { Flags = local | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        if (!IsCached(key)) return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        var fetch = new Fetch(this, key, range);
        var entry = await _cache.GetOrCreateAsync(EntryKey(key, range), fetch, static (f, ct) => f.RunAsync(ct), _entryOptions, [TagOf(key)], cancellationToken).ConfigureAwait(false);
        if (fetch.Ran)
        {
            ZarrCloudTelemetry.CacheMisses.Add(1, CacheTag);
            return fetch.Value;
        }
        if (Decode(key, entry, out var value))
        {
            ZarrCloudTelemetry.CacheHits.Add(1, CacheTag);
            return value;
        }
        ZarrCloudTelemetry.CacheMisses.Add(1, CacheTag);
        return await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (!IsCached(key) || ranges.Count == 0) return await Inner.GetRangesAsync(key, ranges, cancellationToken).ConfigureAwait(false);
        var entries = await Task.WhenAll(ranges.Select(r => ProbeAsync(EntryKey(key, r), cancellationToken))).ConfigureAwait(false);
        var results = new StoreValue?[ranges.Count];
        var misses = new List<int>();
        for (int i = 0; i < ranges.Count; i++)
        {
            if (entries[i] is { } entry && Decode(key, entry, out results[i])) continue;
            misses.Add(i);
        }
        ZarrCloudTelemetry.CacheHits.Add(ranges.Count - misses.Count, CacheTag);
        if (misses.Count == 0) return results;
        ZarrCloudTelemetry.CacheMisses.Add(misses.Count, CacheTag);
        // The misses go to the backend together, so the stack below still merges nearby ranges into few requests.
        var fetched = await Inner.GetRangesAsync(key, misses.Select(i => ranges[i]).ToList(), cancellationToken).ConfigureAwait(false);
        var stores = new List<Task>(misses.Count);
        for (int j = 0; j < misses.Count; j++)
        {
            results[misses[j]] = fetched[j];
            stores.Add(_cache.SetAsync(EntryKey(key, ranges[misses[j]]), Encode(fetched[j], _maxEntryBytes), _entryOptions, [TagOf(key)], cancellationToken).AsTask());
        }
        await Task.WhenAll(stores).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public override async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        await Inner.SetAsync(key, value, cancellationToken).ConfigureAwait(false);
        if (IsCached(key)) await _cache.RemoveByTagAsync(TagOf(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await Inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        if (IsCached(key)) await _cache.RemoveByTagAsync(TagOf(key), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True for keys whose values are cached: everything but metadata documents.</summary>
    private static bool IsCached(string key) => !MetadataCachingStore.IsMetadataKey(key);

    internal string EntryKey(string key, ByteRange range) => $"zarr/{_partition}/{key}#{RangeText(range)}";

    private string TagOf(string key) => $"zarr/{_partition}/{key}";

    private static string RangeText(ByteRange range) => range.Kind switch
    {
        ByteRangeKind.All => "all",
        ByteRangeKind.Bounded => string.Create(CultureInfo.InvariantCulture, $"{range.Offset}+{range.Length}"),
        ByteRangeKind.FromOffset => string.Create(CultureInfo.InvariantCulture, $"{range.Offset}-"),
        _ => string.Create(CultureInfo.InvariantCulture, $"-{range.Length}"),
    };

    /// <summary>The cached entry, or null when there is none (nothing is written by a probe).</summary>
    private Task<byte[]?> ProbeAsync(string entryKey, CancellationToken cancellationToken)
        => _cache.GetOrCreateAsync(entryKey, static _ => ValueTask.FromResult<byte[]?>(null), _probeOptions, null, cancellationToken).AsTask();

    /// <summary>
    /// A cache entry for <paramref name="value"/>: kind, total length, ETag and bytes; a bare marker for a missing
    /// value or one larger than <paramref name="maxEntryBytes"/>.
    /// </summary>
    internal static byte[] Encode(StoreValue? value, int maxEntryBytes)
    {
        if (value is null || value.Length > maxEntryBytes)
        {
            var marker = Header(-1, 0);
            marker[0] = value is null ? Missing : TooLarge;
            return marker;
        }
        var etag = value.ETag is { Length: > 0 and <= 1024 } e ? Encoding.UTF8.GetBytes(e) : [];
        var entry = new byte[HeaderBytes + etag.Length + value.Length];
        Header(value.TotalLength ?? -1, etag.Length).CopyTo(entry, 0);
        entry[0] = Present;
        etag.CopyTo(entry, HeaderBytes);
        value.Span.CopyTo(entry.AsSpan(HeaderBytes + etag.Length));
        return entry;
    }

    private static byte[] Header(long totalLength, int etagLength)
    {
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), totalLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(9), (ushort)etagLength);
        return header;
    }

    /// <summary>
    /// Reads a cache entry: true with the value (null for a cached "missing") when it holds one; false when the backend
    /// must be read (a too-large marker, or an entry that does not decode, which is logged).
    /// </summary>
    private bool Decode(string key, byte[]? entry, out StoreValue? value)
    {
        value = null;
        if (entry is null || entry.Length < HeaderBytes || entry[0] > TooLarge)
            return Undecodable(key, entry);
        if (entry[0] == Missing) return true;
        if (entry[0] == TooLarge) return false;
        var total = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(1));
        int etagLength = BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(9));
        var dataStart = HeaderBytes + etagLength;
        if (dataStart > entry.Length || total < -1 || (total >= 0 && total < entry.Length - dataStart))
            return Undecodable(key, entry);
        var etag = etagLength == 0 ? null : Encoding.UTF8.GetString(entry, HeaderBytes, etagLength);
        value = new StoreValue(entry.AsMemory(dataStart), etag, total < 0 ? null : total);
        return true;
    }

    private bool Undecodable(string key, byte[]? entry)
    {
        LogUndecodable(key, entry?.Length ?? 0);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a shared cache entry for {Key} that does not decode ({Length} bytes); reading the store")]
    private partial void LogUndecodable(string key, int length);

    /// <summary>One backend read on a cache miss, remembering what it read so the caller gets it without a decode.</summary>
    private sealed class Fetch(HybridCachingStore owner, string key, ByteRange range)
    {
        public bool Ran { get; private set; }

        public StoreValue? Value { get; private set; }

        public async ValueTask<byte[]> RunAsync(CancellationToken cancellationToken)
        {
            var value = await owner.Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
            Value = value;
            Ran = true;
            return Encode(value, owner._maxEntryBytes);
        }
    }
}
