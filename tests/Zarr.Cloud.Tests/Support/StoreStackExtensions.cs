namespace Zarr.Cloud.Tests.Support;

/// <summary>Test access to the backend under the middleware <see cref="StoreResolver"/> stacks over it.</summary>
public static class StoreStackExtensions
{
    /// <summary>The innermost store: <paramref name="store"/> with every <see cref="DelegatingStore"/> layer taken off.</summary>
    public static IAsyncStore Backend(this IAsyncStore store)
    {
        while (store is DelegatingStore d) store = d.Inner;
        return store;
    }
}
