using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Commands;

/// <summary>What <c>zarr info</c> says of a node, as JSON (the text output prints the same fields).</summary>
internal static class NodeDescription
{
    /// <summary>An array: format, shape, chunks, dtype, fill value, the pipeline's codecs, attributes.</summary>
    /// <param name="array">The array.</param>
    public static JsonObject Of(ZarrArray array)
    {
        var m = array.Metadata;
        var o = new JsonObject
        {
            ["node_type"] = "array",
            ["zarr_format"] = m.ZarrFormat,
            ["shape"] = Numbers(m.Shape),
            ["chunks"] = Numbers(array.Pipeline.ArrayToBytes is ShardingCodec sharding ? sharding.InnerChunkShape : m.ChunkShape),
            ["dtype"] = m.DataType.Name,
            ["fill_value"] = m.FillValue.ToJson(m.ZarrFormat),
            ["codecs"] = new JsonArray(array.Pipeline.Codecs.Select(c => (JsonNode)c.ToJson()).ToArray()),
        };
        if (array.Pipeline.ArrayToBytes is ShardingCodec) o["shards"] = Numbers(m.ChunkShape);
        if (m.ZarrFormat == 2)
        {
            o["dtype_v2"] = m.DataType.ToV2String();
            o["order"] = m.Order.ToString();
        }
        if (m.DimensionNames is { } names) o["dimension_names"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
        o["chunk_key_encoding"] = m.ChunkKeyEncoding.ToV3Json();
        o["attributes"] = array.Attributes;
        return o;
    }

    private static JsonArray Numbers<T>(IEnumerable<T> values) => new(values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>());

    /// <summary>A group: format, attributes, the number of children.</summary>
    /// <param name="group">The group.</param>
    /// <param name="children">The number of direct children, or null when the store cannot list them (plain HTTP without consolidated metadata).</param>
    public static JsonObject Of(ZarrGroup group, int? children) => new()
    {
        ["node_type"] = "group",
        ["zarr_format"] = group.ZarrFormat,
        ["consolidated"] = group.IsConsolidated,
        ["children"] = children,
        ["attributes"] = group.Attributes,
    };

    /// <summary>A one-line description of a node for listings: "[720, 1440] float32" or "(group)".</summary>
    /// <param name="node">The node.</param>
    public static string Brief(ZarrNode node) => node is ZarrArray a
        ? $"[{string.Join(", ", a.Metadata.Shape)}] {a.DataType}"
        : "(group)";
}
