using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Metadata;

/// <summary>JSON helpers for metadata documents: typed field access with messages that name key and field.</summary>
public static class MetadataJson
{
    /// <summary>How metadata is written: indented, NaN-free (fill values are strings), UTF-8 kept readable.</summary>
    public static JsonSerializerOptions WriteOptions { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// JSON text with every character beyond ASCII written as a \uXXXX escape (UTF-16 units, as Python's json
    /// module does with ensure_ascii). Outside strings JSON has only ASCII, so escaping by character is safe.
    /// </summary>
    /// <param name="json">JSON text.</param>
    public static string EscapeNonAscii(string json)
    {
        if (!json.AsSpan().ContainsAnyExceptInRange((char)0, (char)0x7F)) return json;
        var sb = new System.Text.StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            if (c < 0x80) sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    internal static JsonObject RequireObject(JsonNode? node, string key)
        => node as JsonObject ?? throw new ZarrFormatException(key, $"the document must be a JSON object, got {ZarrDataType.Describe(node)}");

    internal static int RequireInt(JsonObject o, string field, string key)
    {
        var n = o[field] ?? throw new ZarrFormatException(key, $"field '{field}' is missing");
        if (n.GetValueKind() != JsonValueKind.Number || !n.AsValue().TryGetValue<int>(out var v))
            throw new ZarrFormatException(key, $"field '{field}' must be an integer, got {ZarrDataType.Describe(n)}");
        return v;
    }

    internal static string RequireString(JsonObject o, string field, string key)
    {
        var n = o[field] ?? throw new ZarrFormatException(key, $"field '{field}' is missing");
        if (n.GetValueKind() != JsonValueKind.String) throw new ZarrFormatException(key, $"field '{field}' must be a string, got {ZarrDataType.Describe(n)}");
        return n.GetValue<string>();
    }

    internal static long[] RequireLongArray(JsonObject o, string field, string key, bool positive)
    {
        var n = o[field] ?? throw new ZarrFormatException(key, $"field '{field}' is missing");
        if (n is not JsonArray a) throw new ZarrFormatException(key, $"field '{field}' must be a list of integers, got {ZarrDataType.Describe(n)}");
        var result = new long[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            var e = a[i];
            if (e is null || e.GetValueKind() != JsonValueKind.Number || !e.AsValue().TryGetValue<long>(out var v))
                throw new ZarrFormatException(key, $"field '{field}'[{i}] must be an integer, got {ZarrDataType.Describe(e)}");
            if (v < 0 || (positive && v == 0)) throw new ZarrFormatException(key, $"field '{field}'[{i}] must be {(positive ? "positive" : "non-negative")}, got {v}");
            result[i] = v;
        }
        return result;
    }

    internal static JsonObject? OptionalObject(JsonObject o, string field, string key)
    {
        var n = o[field];
        if (n is null) return null;
        return n as JsonObject ?? throw new ZarrFormatException(key, $"field '{field}' must be an object, got {ZarrDataType.Describe(n)}");
    }

    internal static JsonNode ToJsonArray(IEnumerable<long> values) => new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    internal static JsonNode ToJsonArray(IEnumerable<int> values) => new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
