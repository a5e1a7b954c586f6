using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Zarr.Cloud.Diagnostics;

/// <summary>
/// The SDK's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>, both named
/// <see cref="Name"/>. Add that name to an OpenTelemetry tracer and meter provider (or use the DI package's
/// <c>AddZarrCloudInstrumentation()</c>) to collect spans per array read and store request, and counters for
/// requests, bytes, retries and cache hits.
/// </summary>
public static class ZarrCloudTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>Zarr.Cloud</c>.</summary>
    public const string Name = "Zarr.Cloud";

    private static readonly string? Version = typeof(ZarrCloudTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Spans: <c>zarr.array.read</c>, <c>zarr.array.write</c>, <c>zarr.store.get</c>, <c>zarr.store.set</c>, <c>zarr.store.list</c>.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>The meter that owns the instruments below.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    /// <summary><c>zarr.store.requests</c>: requests that reached a backend, tagged <c>zarr.backend</c> and <c>zarr.operation</c> (get, set, delete, list).</summary>
    public static Counter<long> StoreRequests { get; } = Meter.CreateCounter<long>("zarr.store.requests", "{request}", "Requests sent to a storage backend.");

    /// <summary><c>zarr.store.bytes_read</c>: bytes returned by backends, tagged <c>zarr.backend</c>.</summary>
    public static Counter<long> StoreBytesRead { get; } = Meter.CreateCounter<long>("zarr.store.bytes_read", "By", "Bytes read from a storage backend.");

    /// <summary><c>zarr.store.bytes_written</c>: bytes written to backends, tagged <c>zarr.backend</c>.</summary>
    public static Counter<long> StoreBytesWritten { get; } = Meter.CreateCounter<long>("zarr.store.bytes_written", "By", "Bytes written to a storage backend.");

    /// <summary><c>zarr.store.request.duration</c>: seconds per backend request, tagged <c>zarr.backend</c> and <c>zarr.operation</c>.</summary>
    public static Histogram<double> StoreRequestDuration { get; } = Meter.CreateHistogram<double>("zarr.store.request.duration", "s", "Duration of storage backend requests.");

    /// <summary><c>zarr.store.retries</c>: retried attempts, tagged <c>zarr.backend</c> and <c>http.response.status_code</c> where there was one.</summary>
    public static Counter<long> StoreRetries { get; } = Meter.CreateCounter<long>("zarr.store.retries", "{retry}", "Store requests retried after a transient failure.");

    /// <summary><c>zarr.cache.hits</c>: cache hits, tagged <c>zarr.cache</c> (chunk, metadata, shard_index, request).</summary>
    public static Counter<long> CacheHits { get; } = Meter.CreateCounter<long>("zarr.cache.hits", "{hit}", "Cache lookups that found an entry.");

    /// <summary><c>zarr.cache.misses</c>: cache misses, tagged <c>zarr.cache</c>.</summary>
    public static Counter<long> CacheMisses { get; } = Meter.CreateCounter<long>("zarr.cache.misses", "{miss}", "Cache lookups that found nothing.");

    /// <summary><c>zarr.array.chunks_decoded</c>: chunks decoded by array reads.</summary>
    public static Counter<long> ChunksDecoded { get; } = Meter.CreateCounter<long>("zarr.array.chunks_decoded", "{chunk}", "Chunks decoded by array reads.");
}
