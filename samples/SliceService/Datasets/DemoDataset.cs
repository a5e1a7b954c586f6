using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.SliceService.Datasets;

/// <summary>
/// Writes a small dataset laid out as MUR SST is (s3://mur-sst/zarr-v1): a Zarr v2 group with consolidated metadata,
/// <c>analysed_sst</c> int16 [time, lat, lon] with CF packing (scale_factor 0.001, add_offset 298.15 K, _FillValue
/// -32768 over land), Blosc zstd with byte shuffle, and the <c>time</c>, <c>lat</c>, <c>lon</c> coordinates. A one-degree
/// grid (180 x 360) of daily fields from 2020-01-01: a smooth field that is warm at the equator, cold at the poles,
/// with seasons of opposite sign in the two hemispheres and slow ocean eddies.
/// </summary>
public static class DemoDataset
{
    /// <summary>The data variable.</summary>
    public const string Variable = "analysed_sst";

    /// <summary>Packing of <see cref="Variable"/>: kelvin = raw * ScaleFactor + AddOffset.</summary>
    public const double ScaleFactor = 0.001, AddOffset = 298.15;

    /// <summary>The raw value of land.</summary>
    public const short Fill = short.MinValue;

    /// <summary>Grid size.</summary>
    public const int Lat = 180, Lon = 360;

    /// <summary>The chunk shape of <see cref="Variable"/>: 5 days of 60 x 60 degrees (36 KB decoded), small enough that a
    /// one-chunk slice is cheap to serve.</summary>
    public static readonly int[] ChunkShape = [5, 60, 60];

    /// <summary>The first day, 2020-01-01, as days since 1970-01-01.</summary>
    public const int FirstDay = 18262;

    /// <summary>
    /// Writes the dataset at <paramref name="path"/> unless it is already there (its consolidated metadata is the last
    /// thing written, so a half-written folder from a crash is written again).
    /// </summary>
    /// <param name="path">The folder.</param>
    /// <param name="days">Time steps.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>True when it was written now.</returns>
    public static async Task<bool> EnsureAsync(string path, int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1, "Demo:Days");
        if (File.Exists(Path.Combine(path, ".zmetadata"))) return false;
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        var store = new FileSystemStore(path);
        var group = await ZarrGroup.CreateAsync(store, "", zarrFormat: 2, attributes: new JsonObject
        {
            ["title"] = "Demo sea surface temperature (MUR-like layout, synthetic values)",
            ["Conventions"] = "CF-1.7",
            ["source"] = "Zarr.Cloud SliceService demo",
        }, cancellationToken: cancellationToken);

        var lat = Enumerable.Range(0, Lat).Select(i => -89.5f + i).ToArray();
        var lon = Enumerable.Range(0, Lon).Select(i => -179.5f + i).ToArray();
        var time = Enumerable.Range(FirstDay, days).ToArray();
        await WriteCoordinateAsync(group, "lat", lat, new JsonObject { ["units"] = "degrees_north", ["standard_name"] = "latitude", ["long_name"] = "latitude", ["axis"] = "Y" }, cancellationToken);
        await WriteCoordinateAsync(group, "lon", lon, new JsonObject { ["units"] = "degrees_east", ["standard_name"] = "longitude", ["long_name"] = "longitude", ["axis"] = "X" }, cancellationToken);
        await WriteCoordinateAsync(group, "time", time, new JsonObject { ["units"] = "days since 1970-01-01 00:00:00 UTC", ["calendar"] = "gregorian", ["standard_name"] = "time", ["long_name"] = "reference time of sst field", ["axis"] = "T" }, cancellationToken);

        var sst = await group.CreateArrayAsync(Variable, new ZarrArrayDefinition
        {
            Shape = [days, Lat, Lon],
            ChunkShape = ChunkShape,
            DataType = ZarrDataType.Int16,
            FillValue = Fill,
            ZarrFormat = 2,
            Compressor = new BloscCodec(BloscCompressor.Zstd, 5, BloscShuffleMode.Shuffle, typeSize: 2),
            Attributes = new JsonObject
            {
                ["_ARRAY_DIMENSIONS"] = new JsonArray("time", "lat", "lon"),
                ["long_name"] = "analysed sea surface temperature",
                ["standard_name"] = "sea_surface_foundation_temperature",
                ["units"] = "kelvin",
                ["scale_factor"] = ScaleFactor,
                ["add_offset"] = AddOffset,
                ["_FillValue"] = (int)Fill,
                ["valid_min"] = -32767,
                ["valid_max"] = 32767,
                ["coordinates"] = "lat lon",
            },
        }, cancellationToken);
        // One block of chunk rows in time at a time: memory stays at one block (5 days, 650 KB).
        var land = new bool[Lat * Lon];
        for (int i = 0; i < Lat; i++)
            for (int j = 0; j < Lon; j++) land[i * Lon + j] = IsLand(lat[i], lon[j]);
        for (int t0 = 0; t0 < days; t0 += ChunkShape[0])
        {
            int n = Math.Min(ChunkShape[0], days - t0);
            var block = new short[n * Lat * Lon];
            Parallel.For(0, n, t => WriteDay(block.AsSpan(t * Lat * Lon, Lat * Lon), land, t0 + t));
            await sst.WriteAsync(new Indexing.Selection(new Indexing.Slice(t0, t0 + n)), new NDArray<short>(block, n, Lat, Lon), cancellationToken);
        }
        await group.ConsolidateMetadataAsync(cancellationToken);
        return true;
    }

    private static async Task WriteCoordinateAsync<T>(ZarrGroup group, string name, T[] values, JsonObject attributes, CancellationToken ct)
    {
        attributes["_ARRAY_DIMENSIONS"] = new JsonArray(name);
        var array = await group.CreateArrayAsync(name, new ZarrArrayDefinition
        {
            Shape = [values.Length],
            ChunkShape = [values.Length],
            DataType = ZarrDataType.For<T>(),
            ZarrFormat = 2,
            Compressor = new ZstdCodec(3),
            Attributes = attributes,
        }, ct);
        await array.WriteAsync(new NDArray<T>(values, values.Length), ct);
    }

    /// <summary>True where the demo grid is land (filled): a few smooth continents.</summary>
    /// <param name="latitude">Degrees north.</param>
    /// <param name="longitude">Degrees east.</param>
    public static bool IsLand(double latitude, double longitude)
    {
        double Blob(double la, double lo, double rLa, double rLo)
        {
            double dLo = (longitude - lo + 540) % 360 - 180;
            return Math.Exp(-Math.Pow((latitude - la) / rLa, 2) - Math.Pow(dLo / rLo, 2));
        }
        double land = Blob(50, 90, 22, 55) + Blob(15, 20, 25, 18) + Blob(45, -100, 18, 28) + Blob(-15, -60, 22, 15)
            + Blob(-25, 135, 10, 18) + Blob(-85, 0, 8, 400) + Blob(72, -40, 8, 18);
        return land > 0.5;
    }

    /// <summary>The demo temperature in kelvin at a point and day (ignoring land).</summary>
    /// <param name="latitude">Degrees north.</param>
    /// <param name="longitude">Degrees east.</param>
    /// <param name="day">Days since 2020-01-01.</param>
    public static double Kelvin(double latitude, double longitude, int day)
    {
        double phi = latitude * Math.PI / 180, lambda = longitude * Math.PI / 180;
        double season = Math.Cos(2 * Math.PI * (day - 45) / 365.25); // +1 in mid-February: southern summer
        double celsius = 29 * Math.Pow(Math.Cos(phi), 2) - 1.5
            - 4 * season * Math.Sin(phi)
            + 1.2 * Math.Sin(3 * lambda + day / 40.0) * Math.Cos(2 * phi)
            + 0.6 * Math.Sin(7 * lambda - 5 * phi - day / 15.0);
        return Math.Max(celsius, -1.8) + 273.15;
    }

    private static void WriteDay(Span<short> map, bool[] land, int day)
    {
        for (int i = 0; i < Lat; i++)
        {
            double la = -89.5 + i;
            for (int j = 0; j < Lon; j++)
            {
                double lo = -179.5 + j;
                map[i * Lon + j] = land[i * Lon + j] ? Fill : (short)Math.Round((Kelvin(la, lo, day) - AddOffset) / ScaleFactor);
            }
        }
    }
}
