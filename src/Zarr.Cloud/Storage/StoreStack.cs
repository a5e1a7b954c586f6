namespace Zarr.Cloud.Storage;

/// <summary>
/// Wraps a backend store in the middleware layers <see cref="StoreResolver"/> adds from <see cref="StoreOpenOptions"/>.
/// Outermost first: metadata cache → single flight → concurrency limit → retry → instrumentation → backend.
/// </summary>
internal static class StoreStack
{
    /// <summary>The configured stack over <paramref name="backend"/>.</summary>
    public static IAsyncStore Build(IAsyncStore backend, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MetadataCacheBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MetadataCacheBytes, "StoreOpenOptions.MetadataCacheBytes must be zero (no metadata cache) or more.");
        IAsyncStore store = new InstrumentedStore(backend, InstrumentedStore.BackendName(backend));
        // Retry: not for local stores, whose failures a retry does not mend. Inside the limit, so that a request
        // waiting out its backoff does not hold a slot; outside the instrumentation, so that every attempt is counted.
        if (backend is not (MemoryStore or FileSystemStore))
            store = new ResilientStore(store, options.Resilience, options.Logger, options.TimeProvider);
        // A memory store has no latency to hide and no server to protect: no limit.
        if (backend is not MemoryStore) store = new ConcurrencyLimitedStore(store, options.MaxInFlightRequests);
        store = new SingleFlightStore(store);
        if (options.MetadataCacheBytes > 0) store = new MetadataCachingStore(store, options.MetadataCacheBytes);
        return store;
    }
}
