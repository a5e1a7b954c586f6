using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Samples.SliceService.Slicing;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>One array: where, its shape and chunks, its type (NumPy string, little-endian as served), dimension names,
/// attributes, and the CF packing of its values.</summary>
public sealed record ArrayInfo(string Path, long[] Shape, int[] Chunks, string DataType, string Dtype, JsonNode? FillValue,
    string?[]? Dimensions, JsonObject Attributes, CfDecoding Cf)
{
    /// <summary>The description of <paramref name="array"/>.</summary>
    public static ArrayInfo Of(ZarrArray array, string path) => new(path, array.Shape, array.ChunkShape, array.DataType.Name,
        array.DataType.AsLittleEndian().ToV2String(), array.FillValue.ToJson(array.ZarrFormat), DimensionsOf(array), array.Attributes, CfDecoding.Of(array));

    /// <summary>The dimension names: v3's dimension_names, or xarray's _ARRAY_DIMENSIONS attribute in v2.</summary>
    public static string?[]? DimensionsOf(ZarrArray array) => array.Metadata.DimensionNames
        ?? (array.Attributes["_ARRAY_DIMENSIONS"] as JsonArray)?.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToArray();
}
