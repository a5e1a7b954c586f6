using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.MurSst;

/// <summary>One day of the series: the date and the temperature in °C, or null where the data is missing (land, ice, gaps).</summary>
/// <param name="Date">The time step's date (UTC).</param>
/// <param name="Celsius">The temperature, or null.</param>
internal sealed record SstValue(DateOnly Date, double? Celsius);

/// <summary>The series at the grid point nearest the query, with where that point is and what it cost.</summary>
/// <param name="Latitude">The grid point's latitude.</param>
/// <param name="Longitude">The grid point's longitude.</param>
/// <param name="Values">One value per time step in the date range.</param>
/// <param name="SeriesRequests">Store requests made to read the series (after the coordinates were read).</param>
/// <param name="TotalRequests">Store requests made in all, metadata and coordinates included.</param>
internal sealed record SstSeries(double Latitude, double Longitude, IReadOnlyList<SstValue> Values, long SeriesRequests, long TotalRequests);

/// <summary>
/// Reads a sea surface temperature time series at one point of a MUR-like dataset (a group with the variable on
/// time/lat/lon and the three coordinates): the nearest grid point by binary search on lat and lon, the time indices
/// of the date range from the time coordinate's CF units, then only that column of the variable, one request per
/// time chunk, unpacked as CF says (scale, offset, fill) and turned into °C.
/// </summary>
internal static class SstTimeSeries
{
    private const double KelvinAtZeroCelsius = 273.15;

    /// <summary>Reads the series <paramref name="query"/> asks for.</summary>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">A point or date range outside the dataset.</exception>
    /// <exception cref="FormatException">A dataset that is not laid out as MUR SST is.</exception>
    public static async Task<SstSeries> ReadAsync(MurSstQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var location = StoreResolver.Resolve(query.Url, new StoreOpenOptions { Anonymous = true, ReadOnly = true, Endpoint = query.Endpoint, Region = query.Region });
        var store = new InstrumentedStore(location.Store);
        var group = await ZarrGroup.OpenAsync(store, location.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
        var sst = await group.OpenArrayAsync(query.Variable, cancellationToken).ConfigureAwait(false);
        if (sst.Shape.Length != 3) throw new FormatException($"'{query.Variable}' has {sst.Shape.Length} dimensions; expected 3 (time, lat, lon)");

        var lat = new CoordinateAxis("lat", await ReadDoublesAsync(group, "lat", cancellationToken).ConfigureAwait(false));
        var lon = new CoordinateAxis("lon", await ReadDoublesAsync(group, "lon", cancellationToken).ConfigureAwait(false));
        var timeArray = await group.OpenArrayAsync("time", cancellationToken).ConfigureAwait(false);
        var time = CfTimeAxis.Parse(await ReadLongsAsync(timeArray, cancellationToken).ConfigureAwait(false),
            timeArray.Attributes["units"]?.ToString(), timeArray.Attributes["calendar"]?.ToString());
        if (time.Length != sst.Shape[0] || lat.Length != sst.Shape[1] || lon.Length != sst.Shape[2])
            throw new FormatException($"'{query.Variable}' has shape [{string.Join(", ", sst.Shape)}] but time, lat and lon have {time.Length}, {lat.Length} and {lon.Length} values");

        int y = lat.Nearest(query.Latitude), x = lon.Nearest(query.Longitude);
        var (start, end) = time.IndicesOf(query.From, query.To);
        long before = store.Requests;
        var celsius = await ReadCelsiusAsync(sst, start, end, y, x, cancellationToken).ConfigureAwait(false);
        var values = new SstValue[end - start];
        for (int t = start; t < end; t++) values[t - start] = new SstValue(DateOnly.FromDateTime(time[t]), celsius[t - start]);
        return new SstSeries(lat[y], lon[x], values, store.Requests - before, store.Requests);
    }

    private static async Task<double?[]> ReadCelsiusAsync(ZarrArray sst, int start, int end, int y, int x, CancellationToken ct)
    {
        var units = sst.Attributes["units"]?.ToString()?.ToLowerInvariant();
        double shift = units switch
        {
            "kelvin" or "k" => -KelvinAtZeroCelsius,
            "celsius" or "degc" or "degree_celsius" or "degrees_celsius" => 0,
            _ => throw new FormatException($"'{sst.Path}' has units '{units}'; expected kelvin or celsius"),
        };
        long? fill = sst.FillValue.IsNull ? null : sst.FillValue.ToObject() is { } f and not float and not double ? Convert.ToInt64(f, System.Globalization.CultureInfo.InvariantCulture) : null;
        var packing = CfPacking.FromAttributes(sst.Attributes, fill);
        var selection = new Selection(new Slice(start, end), y, x);
        if (sst.DataType == ZarrDataType.Int16)
            return (await sst.ReadAsync<short>(selection, ct).ConfigureAwait(false)).Data.Select(v => packing.Unpack(v) + shift).ToArray();
        if (sst.DataType == ZarrDataType.Float32)
            return (await sst.ReadAsync<float>(selection, ct).ConfigureAwait(false)).Data.Select(v => float.IsNaN(v) ? null : (double?)(v * packing.ScaleFactor + packing.AddOffset + shift)).ToArray();
        throw new FormatException($"'{sst.Path}' is {sst.DataType}; expected int16 (packed, as MUR SST stores it) or float32");
    }

    private static async Task<double[]> ReadDoublesAsync(ZarrGroup group, string name, CancellationToken ct)
    {
        var array = await group.OpenArrayAsync(name, ct).ConfigureAwait(false);
        if (array.DataType == ZarrDataType.Float32) return (await array.ReadAsync<float>(Selection.All, ct).ConfigureAwait(false)).Data.Select(v => (double)v).ToArray();
        if (array.DataType == ZarrDataType.Float64) return (await array.ReadAsync<double>(Selection.All, ct).ConfigureAwait(false)).Data;
        throw new FormatException($"the coordinate '{name}' is {array.DataType}; expected float32 or float64");
    }

    private static async Task<long[]> ReadLongsAsync(ZarrArray array, CancellationToken ct)
    {
        if (array.DataType == ZarrDataType.Int64) return (await array.ReadAsync<long>(Selection.All, ct).ConfigureAwait(false)).Data;
        if (array.DataType == ZarrDataType.Int32) return (await array.ReadAsync<int>(Selection.All, ct).ConfigureAwait(false)).Data.Select(v => (long)v).ToArray();
        throw new FormatException($"the coordinate 'time' is {array.DataType}; expected int64 or int32 offsets with CF units");
    }
}
