using System.Globalization;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService.Slicing;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>
/// GET /api/datasets/{dataset}/timeseries?lat=&amp;lon=[&amp;var=][&amp;from=][&amp;to=]: the variable's values at the grid
/// point nearest (lat, lon), over the time axis (or the part between from and to), CF-decoded.
/// </summary>
public static class TimeSeries
{
    private static readonly string[] TimeNames = ["time", "t"], LatNames = ["lat", "latitude", "y"], LonNames = ["lon", "longitude", "x"];

    internal static async Task<IResult> GetAsync(string dataset, string? lat, string? lon, string? var, string? from, string? to,
        IZarrDatasets datasets, CoordinateCache cache, IOptions<SliceServiceOptions> options, HttpContext context)
    {
        var ct = context.RequestAborted;
        if (!datasets.Contains(dataset)) return SliceApi.UnknownDataset(datasets, dataset);
        if (!TryCoordinate(lat, -90, 90, out var latitude)) return SliceApi.Problem(400, "Bad latitude", $"lat '{lat}' must be a number of degrees from -90 to 90.");
        if (!TryCoordinate(lon, -180, 360, out var longitude)) return SliceApi.Problem(400, "Bad longitude", $"lon '{lon}' must be a number of degrees from -180 to 360.");
        DateTimeOffset? start = null, end = null;
        foreach (var (text, name) in new[] { (from, "from"), (to, "to") })
        {
            if (string.IsNullOrEmpty(text)) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                return SliceApi.Problem(400, "Bad date", $"{name} '{text}' is not an ISO 8601 date (e.g. 2020-03-01 or 2020-03-01T12:00:00Z).");
            if (name == "from") start = at; else end = at;
        }

        var variable = var ?? await FindGriddedVariableAsync(datasets, dataset, ct);
        if (variable is null) return SliceApi.Problem(404, "No gridded variable", $"Dataset '{dataset}' has no array with time, lat and lon dimensions; name one with var=.");
        var (array, error) = await SliceApi.OpenArrayAsync(datasets, dataset, variable, ct);
        if (error is not null) return error;
        if (!ElementTypes.IsServed(array!.DataType) || array.Rank < 2)
            return SliceApi.Problem(400, "Not a gridded variable", $"Array '{variable}' ({array.DataType}, {array.Rank} dimensions) is not a numeric variable over lat and lon.");

        var dims = ArrayInfo.DimensionsOf(array) ?? [];
        int latAxis = AxisOf(dims, LatNames, array.Rank == 3 ? 1 : -1), lonAxis = AxisOf(dims, LonNames, array.Rank == 3 ? 2 : -1);
        int timeAxis = AxisOf(dims, TimeNames, array.Rank == 3 ? 0 : -1);
        if (latAxis < 0 || lonAxis < 0) return SliceApi.Problem(400, "Not a gridded variable", $"Array '{variable}' has no lat and lon dimensions (dimensions: {string.Join(", ", dims)}).");
        var lats = await cache.GetAsync(datasets, dataset, dims.ElementAtOrDefault(latAxis) ?? "lat", array.Shape[latAxis], ct);
        var lons = await cache.GetAsync(datasets, dataset, dims.ElementAtOrDefault(lonAxis) ?? "lon", array.Shape[lonAxis], ct);
        if (lats is null || lons is null) return SliceApi.Problem(400, "No coordinates", $"Dataset '{dataset}' has no 1-D lat and lon coordinate arrays of the variable's size.");
        long i = Nearest(lats, latitude, wrap: false), j = Nearest(lons, longitude, wrap: true);

        // The time axis: decoded instants when the coordinate has CF units, and the index range from..to.
        long t0 = 0, t1 = timeAxis >= 0 ? array.Shape[timeAxis] : 1;
        DateTimeOffset[]? instants = null;
        if (timeAxis >= 0) instants = await TimesAsync(cache, datasets, dataset, dims.ElementAtOrDefault(timeAxis) ?? "time", array.Shape[timeAxis], ct);
        if ((start ?? end) is not null)
        {
            if (instants is null) return SliceApi.Problem(400, "No time coordinate", $"Dataset '{dataset}' has no time coordinate with CF units to select from/to on.");
            while (t0 < t1 && start is { } s && instants[t0] < s) t0++;
            while (t1 > t0 && end is { } e && instants[t1 - 1] > e) t1--;
        }

        var selection = new AxisSelection[array.Rank];
        for (int d = 0; d < array.Rank; d++) selection[d] = d == latAxis ? i : d == lonAxis ? j : d == timeAxis ? new Slice(t0, t1) : AxisSelection.At(0);
        if (SliceApi.CheckCells(array, new Selection(selection).Resolve(array.Shape), options.Value, "The time series") is { } tooMany) return tooMany;
        var raw = await ElementTypes.Dispatch(array.DataType, new ReadDoubles(array, new Selection(selection), ct));
        var cf = CfDecoding.Of(array);
        var values = raw.Select(r => cf.Decode(r) is var v && double.IsFinite(v) ? v : (double?)null).ToArray();
        var times = instants?[(int)t0..(int)t1].Select(x => x.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).ToArray();
        return Results.Ok(new TimeSeriesResult(dataset, variable, cf.Units, lats[i], lons[j], i, j, times, values));
    }

    private static bool TryCoordinate(string? text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static int AxisOf(string?[] dims, string[] names, int fallback)
    {
        for (int d = 0; d < dims.Length; d++)
            if (dims[d] is { } n && names.Contains(n, StringComparer.OrdinalIgnoreCase)) return d;
        return dims.Length == 0 ? fallback : -1;
    }

    /// <summary>The index of the value nearest <paramref name="x"/>; longitudes compare across the 180° meridian.</summary>
    public static long Nearest(double[] coordinate, double x, bool wrap)
    {
        long best = 0;
        double bestDistance = double.PositiveInfinity;
        for (long k = 0; k < coordinate.Length; k++)
        {
            double d = Math.Abs(coordinate[k] - x);
            if (wrap) d = Math.Abs(((coordinate[k] - x) % 360 + 540) % 360 - 180);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    // The first array of the dataset's root group with time, lat and lon dimensions.
    private static async Task<string?> FindGriddedVariableAsync(IZarrDatasets datasets, string dataset, CancellationToken ct)
    {
        if (await datasets.OpenAsync(dataset, ct) is not ZarrGroup group) return null;
        foreach (var name in await group.ListChildrenAsync(ct))
            if (await group.OpenAsync(name, ct) is ZarrArray a && ArrayInfo.DimensionsOf(a) is { } dims
                && AxisOf(dims, LatNames, -1) >= 0 && AxisOf(dims, LonNames, -1) >= 0 && AxisOf(dims, TimeNames, -1) >= 0)
                return name;
        return null;
    }

    private static async Task<DateTimeOffset[]?> TimesAsync(CoordinateCache cache, IZarrDatasets datasets, string dataset, string name, long length, CancellationToken ct)
    {
        var values = await cache.GetAsync(datasets, dataset, name, length, ct);
        var (array, error) = await SliceApi.OpenArrayAsync(datasets, dataset, name, ct);
        if (values is null || error is not null) return null;
        var type = array!.DataType;
        if (type.Kind == DataTypeKind.DateTime64)
        {
            long ticks = type.TimeUnit switch
            {
                "D" => TimeSpan.TicksPerDay, "h" => TimeSpan.TicksPerHour, "m" => TimeSpan.TicksPerMinute, "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond, "us" => TimeSpan.TicksPerMicrosecond, _ => 0,
            };
            if (ticks == 0) return null;
            return values.Select(v => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((long)v * ticks * type.TimeScale)).ToArray();
        }
        if (array.Attributes["units"] is not System.Text.Json.Nodes.JsonValue u || !u.TryGetValue<string>(out var units)) return null;
        try
        {
            var cf = CfTimeUnits.Parse(units);
            return values.Select(cf.ToInstant).ToArray();
        }
        catch (FormatException)
        {
            return null; // not CF time units: the series is served without times
        }
    }

    // Reads a selection and widens it to doubles.
    internal sealed record ReadDoubles(ZarrArray Array, Selection Selection, CancellationToken Cancellation) : IElementTypeAction<Task<double[]>>
    {
        public async Task<double[]> Run<T>() where T : unmanaged
        {
            var data = (await Array.ReadAsync<T>(Selection, Cancellation)).Data;
            var result = new double[data.Length];
            for (int k = 0; k < data.Length; k++) result[k] = ElementTypes.ToDouble(data[k]);
            return result;
        }
    }
}
