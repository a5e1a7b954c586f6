using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>Arrays and groups written with the SDK for the CLI to read.</summary>
public static class Fixtures
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A float32 array of shape [rows, cols] with values i*cols + j, the first element NaN.</summary>
    public static async Task<NDArray<float>> WriteFloatGridAsync(string folder, int format, int rows = 12, int cols = 10, int[]? chunks = null, IBytesToBytesCodec? compressor = null, JsonObject? attributes = null)
    {
        var data = new NDArray<float>(Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray(), rows, cols);
        data.Data[0] = float.NaN;
        await WriteAsync(folder, "", data, ZarrDataType.Float32, format, chunks ?? [5, 4], compressor, attributes);
        return data;
    }

    public static async Task<ZarrArray> WriteAsync<T>(string folder, string path, NDArray<T> data, ZarrDataType dataType, int format, int[] chunks, IBytesToBytesCodec? compressor = null, JsonObject? attributes = null, bool bigEndian = false, object? fillValue = null)
    {
        var store = new FileSystemStore(folder);
        var array = await ZarrArray.CreateAsync(store, path, new ZarrArrayDefinition
        {
            Shape = data.Shape.Select(s => (long)s).ToArray(),
            ChunkShape = chunks,
            DataType = dataType,
            ZarrFormat = format,
            Compressor = compressor ?? new GzipCodec(1),
            Attributes = attributes,
            BigEndian = bigEndian,
            FillValue = fillValue,
        }, cancellationToken: Ct);
        await array.WriteAsync(data, Ct);
        return array;
    }

    public static async Task<NDArray<T>> ReadAllAsync<T>(string url)
    {
        var array = await ZarrArray.OpenAsync(url, cancellationToken: Ct);
        return await array.ReadAsync<T>(Selection.All, Ct);
    }

    /// <summary>
    /// A hierarchy: / (attrs title) → lat [12] float64, sub (attrs kind) → deep (group) → x [3, 4] int16; sub/y [5] uint8.
    /// </summary>
    public static async Task WriteHierarchyAsync(string folder, int format)
    {
        var store = new FileSystemStore(folder);
        var root = await ZarrGroup.CreateAsync(store, "", format, new JsonObject { ["title"] = "fixture" }, cancellationToken: Ct);
        await WriteAsync(folder, "lat", new NDArray<double>(Enumerable.Range(0, 12).Select(i => i * 0.5).ToArray(), 12), ZarrDataType.Float64, format, [5], attributes: new JsonObject { ["units"] = "degrees_north" });
        var sub = await root.CreateGroupAsync("sub", new JsonObject { ["kind"] = "nested", ["n"] = 3 }, cancellationToken: Ct);
        await sub.CreateGroupAsync("deep", cancellationToken: Ct);
        await WriteAsync(folder, "sub/deep/x", new NDArray<short>(Enumerable.Range(0, 12).Select(i => (short)(i - 6)).ToArray(), 3, 4), ZarrDataType.Int16, format, [2, 2]);
        await WriteAsync(folder, "sub/y", new NDArray<byte>([1, 2, 3, 4, 5], 5), ZarrDataType.UInt8, format, [2]);
    }
}
