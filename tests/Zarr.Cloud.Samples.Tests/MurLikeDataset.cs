using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.S3;
using Zarr.Cloud.S3.Tests;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.Tests;

/// <summary>
/// A scaled-down copy of s3://mur-sst/zarr-v1 written to the S3 emulator: a consolidated Zarr v2 group with the same
/// array names, data types, fill values, attributes and time encoding, at 1° instead of 0.01° and 60 days from
/// 2019-12-15 instead of 2002 onward. Chunks keep the original's layout scaled down: 5 days × a tenth of the latitudes
/// × a tenth of the longitudes (the original's 5 × 1799 × 3600), Blosc LZ4 with byte shuffle. Only analysed_sst,
/// lat, lon and time hold data; analysis_error, mask and sea_ice_fraction have their metadata and no chunks.
/// </summary>
internal static class MurLikeDataset
{
    public const int Days = 60, Ny = 179, Nx = 360;
    public const double ScaleFactor = 0.001, AddOffset = 298.15;
    public const short Fill = -32768;

    /// <summary>2019-12-15 09:00 UTC in the dataset's units, days since 2002-06-01 09:00:00.</summary>
    public static readonly long FirstDay = (long)(new DateTime(2019, 12, 15) - new DateTime(2002, 6, 1)).TotalDays;

    public static DateOnly DateOf(int t) => new DateOnly(2019, 12, 15).AddDays(t);

    public static double Lat(int y) => -89 + y; // the original: -89.99 .. 89.99 by 0.01

    public static double Lon(int x) => -179 + x; // the original: -179.99 .. 180.00 by 0.01

    /// <summary>Land (a fill value, as MUR stores land): a band across the point the tests call "land".</summary>
    public static bool Land(int y, int x) => x is >= 240 and < 250 && y is >= 120 and < 135;

    /// <summary>A day with no analysis at one point (fill), to check that missing data in the ocean prints as missing.</summary>
    public static bool Gap(int t, int y, int x) => t == 20 && y == 125 && x == 59;

    /// <summary>The stored value: kelvin packed as MUR packs it.</summary>
    public static short Packed(int t, int y, int x)
    {
        if (Land(y, x) || Gap(t, y, x)) return Fill;
        double kelvin = 271.35 + 30 * Math.Pow(Math.Cos(Lat(y) * Math.PI / 180), 2) + 2 * Math.Sin(t / 9.0 + x * 0.05) + 0.001 * ((t * 7 + y * 3 + x) % 11);
        return checked((short)Math.Round((kelvin - AddOffset) / ScaleFactor));
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _written;

    /// <summary>The bucket holding the dataset at zarr-v1, written on first use (once per test run).</summary>
    public static async Task<string> GetAsync(S3rverFixture s3, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return _written ??= await WriteAsync(s3, ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Writes the dataset into a new bucket at zarr-v1 and returns the bucket's name.</summary>
    public static async Task<string> WriteAsync(S3rverFixture s3, CancellationToken ct)
    {
        var bucket = await s3.CreateBucketAsync("mur-sst");
        using var store = new S3Store(bucket, "zarr-v1", s3.Options());
        var root = await ZarrGroup.CreateAsync(store, "", 2, new JsonObject
        {
            ["Conventions"] = "CF-1.7",
            ["title"] = "Daily MUR SST, Final product",
            ["id"] = "MUR-JPL-L4-GLOB-v04.1",
            ["institution"] = "Jet Propulsion Laboratory",
            ["spatial_resolution"] = "1 degree (the original: 0.01 degrees)",
            ["southernmost_latitude"] = -90, ["northernmost_latitude"] = 90, ["westernmost_longitude"] = -180, ["easternmost_longitude"] = 180,
        }, cancellationToken: ct);
        int[] chunks = [5, (Ny + 9) / 10, Nx / 10];
        var sst = await root.CreateArrayAsync("analysed_sst", Packed3D(chunks, ZarrDataType.Int16, Fill, new JsonObject
        {
            ["comment"] = "\"Final\" version using Multi-Resolution Variational Analysis (MRVA) method for interpolation",
            ["long_name"] = "analysed sea surface temperature",
            ["standard_name"] = "sea_surface_foundation_temperature",
            ["units"] = "kelvin",
            ["scale_factor"] = ScaleFactor,
            ["add_offset"] = AddOffset,
            ["valid_min"] = -32767,
            ["valid_max"] = 32767,
        }), ct);
        await root.CreateArrayAsync("analysis_error", Packed3D(chunks, ZarrDataType.Int16, Fill, new JsonObject
        {
            ["long_name"] = "estimated error standard deviation of analysed_sst", ["units"] = "kelvin",
            ["scale_factor"] = 0.01, ["add_offset"] = 0.0, ["valid_min"] = 0, ["valid_max"] = 32767,
        }), ct);
        await root.CreateArrayAsync("mask", Packed3D(chunks, ZarrDataType.Int8, (sbyte)-128, new JsonObject
        {
            ["long_name"] = "sea/land field composite mask",
            ["flag_masks"] = new JsonArray(1, 2, 4, 8, 16),
            ["flag_values"] = new JsonArray(1, 2, 5, 9, 13),
            ["flag_meanings"] = "1=open-sea, 2=land, 5=open-lake, 9=open-sea with ice in the grid, 13=open-lake with ice in the grid",
            ["valid_min"] = 1, ["valid_max"] = 31,
        }), ct);
        await root.CreateArrayAsync("sea_ice_fraction", Packed3D(chunks, ZarrDataType.Int8, (sbyte)-128, new JsonObject
        {
            ["long_name"] = "sea ice area fraction", ["standard_name"] = "sea ice area fraction", ["units"] = "fraction (between 0 and 1)",
            ["scale_factor"] = 0.01, ["add_offset"] = 0.0, ["valid_min"] = 0, ["valid_max"] = 100,
        }), ct);

        var data = new short[Days * Ny * Nx];
        for (int t = 0; t < Days; t++) for (int y = 0; y < Ny; y++) for (int x = 0; x < Nx; x++) data[(t * Ny + y) * Nx + x] = Packed(t, y, x);
        await sst.WriteAsync(new NDArray<short>(data, Days, Ny, Nx), ct);
        await WriteCoordinateAsync(root, "lat", Enumerable.Range(0, Ny).Select(y => (float)Lat(y)).ToArray(), new JsonObject
        {
            ["axis"] = "Y", ["comment"] = "none", ["long_name"] = "latitude", ["standard_name"] = "latitude", ["units"] = "degrees_north", ["valid_min"] = -90, ["valid_max"] = 90,
        }, ct);
        await WriteCoordinateAsync(root, "lon", Enumerable.Range(0, Nx).Select(x => (float)Lon(x)).ToArray(), new JsonObject
        {
            ["axis"] = "X", ["comment"] = "none", ["long_name"] = "longitude", ["standard_name"] = "longitude", ["units"] = "degrees_east", ["valid_min"] = -180, ["valid_max"] = 180,
        }, ct);
        var time = await root.CreateArrayAsync("time", new ZarrArrayDefinition
        {
            Shape = [Days], ChunkShape = [5], DataType = ZarrDataType.Int64, ZarrFormat = 2, Compressor = Blosc(8),
            Attributes = new JsonObject
            {
                ["_ARRAY_DIMENSIONS"] = new JsonArray("time"),
                ["axis"] = "T",
                ["calendar"] = "proleptic_gregorian",
                ["comment"] = "Nominal time of analyzed fields",
                ["long_name"] = "reference time of sst field",
                ["standard_name"] = "time",
                ["units"] = "days since 2002-06-01 09:00:00",
            },
        }, ct);
        await time.WriteAsync(new NDArray<long>(Enumerable.Range(0, Days).Select(d => FirstDay + d).ToArray(), Days), ct);
        await root.ConsolidateMetadataAsync(ct);
        return bucket;
    }

    private static BloscCodec Blosc(int typeSize) => new(BloscCompressor.LZ4, 5, BloscShuffleMode.Shuffle, typeSize);

    private static ZarrArrayDefinition Packed3D(int[] chunks, ZarrDataType type, object fill, JsonObject attributes)
    {
        attributes["_ARRAY_DIMENSIONS"] = new JsonArray("time", "lat", "lon");
        return new ZarrArrayDefinition
        {
            Shape = [Days, Ny, Nx], ChunkShape = chunks, DataType = type, FillValue = fill, ZarrFormat = 2,
            Compressor = Blosc(type.ItemSize), Attributes = attributes,
        };
    }

    private static async Task WriteCoordinateAsync(ZarrGroup root, string name, float[] values, JsonObject attributes, CancellationToken ct)
    {
        attributes["_ARRAY_DIMENSIONS"] = new JsonArray(name);
        var a = await root.CreateArrayAsync(name, new ZarrArrayDefinition
        {
            Shape = [values.Length], ChunkShape = [values.Length], DataType = ZarrDataType.Float32, FillValue = float.NaN, ZarrFormat = 2,
            Compressor = Blosc(4), Attributes = attributes,
        }, ct);
        await a.WriteAsync(new NDArray<float>(values, values.Length), ct);
    }
}
