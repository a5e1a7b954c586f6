using System.Text.Json.Nodes;

namespace Zarr.Cloud.Metadata;

/// <summary>
/// The metadata of a group: its format, attributes and, when present, consolidated metadata of the
/// hierarchy below it (v2 <c>.zmetadata</c>, v3 inline <c>consolidated_metadata</c>), keyed by store key relative
/// to the group ("a/b/.zarray", "a/b/zarr.json").
/// </summary>
public sealed class GroupMetadata
{
    private static readonly HashSet<string> V3Fields = ["zarr_format", "node_type", "attributes", "consolidated_metadata"];

    /// <summary>Creates group metadata.</summary>
    /// <param name="zarrFormat">2 or 3.</param>
    /// <param name="attributes">The attributes.</param>
    /// <param name="consolidated">Consolidated metadata documents by relative key, or null.</param>
    /// <param name="extraFields">v3: fields this library does not know that declared <c>"must_understand": false</c>, kept on rewrite.</param>
    public GroupMetadata(int zarrFormat, JsonObject? attributes = null, IReadOnlyDictionary<string, JsonNode>? consolidated = null, JsonObject? extraFields = null)
    {
        if (zarrFormat is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(zarrFormat), zarrFormat, "The Zarr format must be 2 or 3.");
        ZarrFormat = zarrFormat;
        Attributes = attributes is null ? [] : (JsonObject)attributes.DeepClone();
        Consolidated = consolidated;
        ExtraFields = extraFields is null ? null : (JsonObject)extraFields.DeepClone();
    }

    /// <summary>v3: fields this library does not know that declared <c>"must_understand": false</c>, kept on rewrite.</summary>
    public JsonObject? ExtraFields { get; }

    /// <summary>2 or 3.</summary>
    public int ZarrFormat { get; }

    /// <summary>The attributes.</summary>
    public JsonObject Attributes { get; }

    /// <summary>Consolidated metadata by key relative to the group, or null when the group has none.</summary>
    public IReadOnlyDictionary<string, JsonNode>? Consolidated { get; }

    /// <summary>Parses a v3 group <c>zarr.json</c>.</summary>
    /// <param name="node">The document.</param>
    /// <param name="key">Its key.</param>
    public static GroupMetadata ParseV3(JsonNode? node, string key)
    {
        var o = MetadataJson.RequireObject(node, key);
        if (MetadataJson.RequireInt(o, "zarr_format", key) != 3) throw new ZarrFormatException(key, "field 'zarr_format' must be 3");
        var nodeType = MetadataJson.RequireString(o, "node_type", key);
        if (nodeType != "group") throw new ZarrFormatException(key, $"field 'node_type' is '{nodeType}', expected 'group'");
        var extra = ArrayMetadata.CheckUnknownFields(o, V3Fields, key);
        var attrs = MetadataJson.OptionalObject(o, "attributes", key);
        Dictionary<string, JsonNode>? consolidated = null;
        if (MetadataJson.OptionalObject(o, "consolidated_metadata", key) is { } cm && cm["metadata"] is JsonObject md)
        {
            var kind = cm["kind"]?.ToString() ?? "inline";
            if (kind != "inline") throw new ZarrFormatException(key, $"consolidated_metadata kind '{kind}' is not supported");
            consolidated = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var (path, doc) in md)
            {
                if (doc is null) continue;
                consolidated[$"{path.Trim('/')}/zarr.json"] = doc.DeepClone();
            }
        }
        return new GroupMetadata(3, attrs, consolidated, extra);
    }

    /// <summary>Parses a v2 <c>.zgroup</c>, with its <c>.zattrs</c> and the <c>.zmetadata</c> when present.</summary>
    /// <param name="node">The <c>.zgroup</c> document.</param>
    /// <param name="attributes">The <c>.zattrs</c> document, or null.</param>
    /// <param name="zmetadata">The <c>.zmetadata</c> document, or null.</param>
    /// <param name="key">The <c>.zgroup</c> key.</param>
    public static GroupMetadata ParseV2(JsonNode? node, JsonNode? attributes, JsonNode? zmetadata, string key)
    {
        var o = MetadataJson.RequireObject(node, key);
        if (MetadataJson.RequireInt(o, "zarr_format", key) != 2) throw new ZarrFormatException(key, "field 'zarr_format' must be 2");
        var attrs = attributes is null ? null : attributes as JsonObject ?? throw new ZarrFormatException(key.Replace(".zgroup", ".zattrs", StringComparison.Ordinal), "the document must be a JSON object");
        Dictionary<string, JsonNode>? consolidated = null;
        if (zmetadata is not null)
        {
            var zkey = key.Replace(".zgroup", ".zmetadata", StringComparison.Ordinal);
            var zm = MetadataJson.RequireObject(zmetadata, zkey);
            if (zm["metadata"] is not JsonObject md) throw new ZarrFormatException(zkey, "field 'metadata' must be an object");
            consolidated = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var (k, doc) in md) if (doc is not null) consolidated[k.TrimStart('/')] = doc.DeepClone();
            if (consolidated.TryGetValue(".zattrs", out var rootAttrs) && rootAttrs is JsonObject ra) attrs ??= ra;
        }
        return new GroupMetadata(2, attrs, consolidated);
    }

    /// <summary>The v3 <c>zarr.json</c> (consolidated metadata is not written).</summary>
    public JsonObject ToV3Json()
    {
        var o = new JsonObject { ["zarr_format"] = 3, ["node_type"] = "group", ["attributes"] = Attributes.DeepClone() };
        if (ExtraFields is not null) foreach (var (k, v) in ExtraFields) o[k] = v?.DeepClone();
        return o;
    }

    /// <summary>The v2 <c>.zgroup</c> document.</summary>
    public static JsonObject V2GroupJson() => new() { ["zarr_format"] = 2 };

    /// <summary>The same group with other attributes (consolidated metadata dropped: it may be stale).</summary>
    /// <param name="attributes">The attributes.</param>
    public GroupMetadata WithAttributes(JsonObject attributes) => new(ZarrFormat, attributes, null, ExtraFields);
}
