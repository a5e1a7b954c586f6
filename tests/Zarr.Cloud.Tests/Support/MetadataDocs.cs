using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Support;

/// <summary>Valid metadata documents to start from, and edits to make them invalid.</summary>
public static class MetadataDocs
{
    public static JsonObject V3Array(string dataType = "\"float32\"", string fill = "0", string codecs = """[{"name":"bytes","configuration":{"endian":"little"}}]""") => JsonNode.Parse($$$"""
        {
          "zarr_format": 3, "node_type": "array", "shape": [10, 20], "data_type": {{{dataType}}},
          "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [5, 5]}},
          "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
          "fill_value": {{{fill}}}, "codecs": {{{codecs}}}, "attributes": {"a": 1}
        }
        """)!.AsObject();

    public static JsonObject V2Array(string dtype = "<f4", string fill = "0", string filters = "null") => JsonNode.Parse($$$"""
        {
          "zarr_format": 2, "shape": [10, 20], "chunks": [5, 5], "dtype": "{{{dtype}}}", "compressor": null,
          "fill_value": {{{fill}}}, "order": "C", "filters": {{{filters}}}
        }
        """)!.AsObject();

    public static JsonObject V3Group() => JsonNode.Parse("""{"zarr_format": 3, "node_type": "group", "attributes": {"g": true}}""")!.AsObject();

    /// <summary>Sets (or, for null, removes) the field at a dotted path, e.g. "chunk_grid.configuration.chunk_shape".</summary>
    public static JsonObject With(this JsonObject doc, string path, string? json)
    {
        var parts = path.Split('.');
        var o = doc;
        foreach (var p in parts[..^1]) o = o[p]!.AsObject();
        if (json is null) o.Remove(parts[^1]);
        else o[parts[^1]] = JsonNode.Parse(json);
        return doc;
    }

    public static ArrayMetadata ParseV3(JsonObject doc, string key = "a/zarr.json") => ArrayMetadata.ParseV3(JsonNode.Parse(doc.ToJsonString()), key);

    public static ArrayMetadata ParseV2(JsonObject doc, JsonObject? attrs = null, string key = "a/.zarray") =>
        ArrayMetadata.ParseV2(JsonNode.Parse(doc.ToJsonString()), attrs is null ? null : JsonNode.Parse(attrs.ToJsonString()), key);
}
