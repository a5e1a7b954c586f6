using System.Collections.Concurrent;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>
/// A URL scheme for tests, <c>counted://NAME/</c>, registered with <see cref="StoreResolver"/> as a backend package
/// would register its own: it opens the <see cref="InstrumentedStore"/> a test put under NAME, so the test counts the
/// requests that reach the backend below the whole store stack.
/// </summary>
public static class CountedStores
{
    public const string Scheme = "counted";

    private static readonly ConcurrentDictionary<string, InstrumentedStore> Stores = new(StringComparer.OrdinalIgnoreCase);

    static CountedStores() => StoreResolver.Register(Scheme, (uri, _) => new StoreLocation(
        Stores.TryGetValue(uri.Host, out var store) ? store : throw new KeyNotFoundException($"no counted store '{uri.Host}'"), ""));

    /// <summary>Puts <paramref name="backend"/> behind a counter at a fresh <c>counted://</c> URL.</summary>
    public static (string Url, InstrumentedStore Counter) Add(IAsyncStore backend)
    {
        var name = "s" + Guid.NewGuid().ToString("N");
        var counter = new InstrumentedStore(backend);
        Stores[name] = counter;
        return ($"{Scheme}://{name}/", counter);
    }

    /// <summary>A v3 group with one float32 array "temp" [40, 30] in chunks of [10, 10], values i * 0.5.</summary>
    public static async Task<MemoryStore> SampleAsync()
    {
        var store = new MemoryStore();
        await ZarrGroup.CreateAsync(store, "");
        var temp = await ZarrArray.CreateAsync(store, "temp", new ZarrArrayDefinition
        {
            Shape = [40, 30], ChunkShape = [10, 10], DataType = Zarr.Cloud.Metadata.ZarrDataType.Float32, FillValue = float.NaN,
        });
        await temp.WriteAsync(new NDArray<float>(Enumerable.Range(0, 1200).Select(i => i * 0.5f).ToArray(), 40, 30));
        return store;
    }
}
