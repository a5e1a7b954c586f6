using System.Collections.Concurrent;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService.Slicing;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>
/// The values of 1-D coordinate arrays (lat, lon, time) as doubles, read once per dataset and kept: the time series
/// endpoint looks up the nearest grid point in them on every request. Coordinates of more than
/// <see cref="MaxLength"/> values are not kept.
/// </summary>
public sealed class CoordinateCache
{
    /// <summary>The longest coordinate kept (MUR's lon has 36,000 values).</summary>
    public const long MaxLength = 10_000_000;

    private readonly ConcurrentDictionary<(string, string), Lazy<Task<double[]>>> _values = new();

    /// <summary>The values of array <paramref name="name"/> of <paramref name="dataset"/>, or null when it is not a 1-D numeric
    /// array of <paramref name="length"/> values.</summary>
    public async Task<double[]?> GetAsync(IZarrDatasets datasets, string dataset, string name, long length, CancellationToken cancellationToken)
    {
        if (length > MaxLength) return null;
        var values = await GetOrStart((dataset, name), async key =>
        {
            var (array, error) = await SliceApi.OpenArrayAsync(datasets, key.Item1, key.Item2, CancellationToken.None);
            if (error is not null || array!.Rank != 1 || array.Shape[0] > MaxLength || !ElementTypes.IsServed(array.DataType)) return [];
            return await ElementTypes.Dispatch(array.DataType, new TimeSeries.ReadDoubles(array, Selection.All, CancellationToken.None));
        }).WaitAsync(cancellationToken);
        return values.Length == length ? values : null;
    }

    // One read per coordinate shared by concurrent requests, kept once it succeeds (a failed one is tried again). It runs
    // without any request's token, as other requests may wait on it; each request stops waiting on its own token.
    private Task<double[]> GetOrStart((string, string) key, Func<(string, string), Task<double[]>> start)
    {
        var lazy = _values.GetOrAdd(key, k => new Lazy<Task<double[]>>(() => start(k)));
        if (lazy.IsValueCreated && (lazy.Value.IsFaulted || lazy.Value.IsCanceled))
        {
            _values.TryRemove(new KeyValuePair<(string, string), Lazy<Task<double[]>>>(key, lazy));
            lazy = _values.GetOrAdd(key, k => new Lazy<Task<double[]>>(() => start(k)));
        }
        return lazy.Value;
    }
}
