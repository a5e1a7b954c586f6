namespace Zarr.Cloud.Storage;

/// <summary>
/// Wraps a backend store in the middleware layers <see cref="StoreResolver"/> adds from <see cref="StoreOpenOptions"/>.
/// Outermost first, as DESIGN.md draws it: cache → range coalescing → concurrency limit → retry → instrumentation → backend.
/// </summary>
internal static class StoreStack
{
    /// <summary>The configured stack over <paramref name="backend"/>.</summary>
    public static IAsyncStore Build(IAsyncStore backend, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        var store = backend;
        // Retry: not for local stores, whose failures a retry does not mend.
        if (backend is not (MemoryStore or FileSystemStore))
            store = new ResilientStore(store, options.Resilience, options.Logger, options.TimeProvider);
        return store;
    }
}
