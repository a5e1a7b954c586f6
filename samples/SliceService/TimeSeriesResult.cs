namespace Zarr.Cloud.Samples.SliceService;

/// <summary>A time series at one grid point, CF-decoded.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Variable">The array read.</param>
/// <param name="Units">Units of the values (the variable's <c>units</c>).</param>
/// <param name="Latitude">Latitude of the grid point used (the nearest to the one asked for).</param>
/// <param name="Longitude">Longitude of the grid point used.</param>
/// <param name="LatIndex">Its index along the latitude axis.</param>
/// <param name="LonIndex">Its index along the longitude axis.</param>
/// <param name="Times">ISO 8601 UTC instants (null when the dataset has no decodable time coordinate).</param>
/// <param name="Values">Decoded values; null where the raw value is a fill value.</param>
public sealed record TimeSeriesResult(string Dataset, string Variable, string? Units, double Latitude, double Longitude,
    long LatIndex, long LonIndex, IReadOnlyList<string>? Times, IReadOnlyList<double?> Values);
