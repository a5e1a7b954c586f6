using System.Runtime.CompilerServices;

namespace Zarr.Cloud.Caching;

/// <summary>A number per store instance, for cache keys that must tell two stores apart without keeping either alive.</summary>
internal static class StoreIdentity
{
    private static readonly ConditionalWeakTable<object, StrongBox<long>> Ids = new();
    private static long _next;

    public static long Of(object store) => Ids.GetValue(store, _ => new StrongBox<long>(Interlocked.Increment(ref _next))).Value;
}
