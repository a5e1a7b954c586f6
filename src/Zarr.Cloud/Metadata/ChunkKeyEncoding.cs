using System.Text;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Metadata;

/// <summary>
/// How chunk coordinates become store keys: v3 <c>default</c> ("c/1/2", or "c.1.2") and <c>v2</c> ("1.2" or "1/2";
/// a 0-d array's chunk is "c" or "0").
/// </summary>
public sealed class ChunkKeyEncoding
{
    /// <summary>Creates an encoding.</summary>
    /// <param name="isV2">True for the v2 encoding.</param>
    /// <param name="separator">'/' or '.'.</param>
    public ChunkKeyEncoding(bool isV2, char separator)
    {
        if (separator is not ('/' or '.')) throw new ArgumentException($"The chunk key separator must be '/' or '.', got '{separator}'.", nameof(separator));
        IsV2 = isV2;
        Separator = separator;
    }

    /// <summary>True for the v2 encoding (no "c" prefix).</summary>
    public bool IsV2 { get; }

    /// <summary>The separator, '/' or '.'.</summary>
    public char Separator { get; }

    /// <summary>v3's default: "c/i/j".</summary>
    public static ChunkKeyEncoding Default { get; } = new(false, '/');

    /// <summary>The key of the chunk at <paramref name="coords"/>, relative to the array.</summary>
    /// <param name="coords">Chunk coordinates.</param>
    public string Encode(ReadOnlySpan<long> coords)
    {
        if (coords.Length == 0) return IsV2 ? "0" : "c";
        var sb = new StringBuilder(IsV2 ? 0 : 2);
        if (!IsV2) sb.Append('c').Append(Separator);
        for (int i = 0; i < coords.Length; i++)
        {
            if (i > 0) sb.Append(Separator);
            sb.Append(coords[i]);
        }
        return sb.ToString();
    }

    /// <summary>Parses the v3 <c>chunk_key_encoding</c> object.</summary>
    /// <param name="node">The JSON.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public static ChunkKeyEncoding ParseV3(JsonNode? node, string key)
    {
        // An extension may be given by its short-hand name alone ("default"), as an object without configuration.
        JsonObject? o = node as JsonObject;
        string? name = null;
        if (node is JsonValue sv && sv.TryGetValue<string>(out var shortName)) name = shortName;
        else if (o?["name"] is JsonValue nv && nv.TryGetValue<string>(out var n)) name = n;
        if (name is null) throw new ZarrFormatException(key, $"field 'chunk_key_encoding' must be a name or an object with a 'name', got {ZarrDataType.Describe(node)}");
        bool v2 = name switch
        {
            "default" => false,
            "v2" => true,
            _ => throw new ZarrFormatException(key, $"chunk_key_encoding '{name}' is not supported"),
        };
        char sep = v2 ? '.' : '/';
        if (o?["configuration"]?["separator"] is { } s)
        {
            var str = s.GetValueKind() == System.Text.Json.JsonValueKind.String ? s.GetValue<string>() : null;
            if (str is not ("/" or ".")) throw new ZarrFormatException(key, $"chunk_key_encoding.configuration.separator must be \"/\" or \".\", got {s.ToJsonString()}");
            sep = str[0];
        }
        return new ChunkKeyEncoding(v2, sep);
    }

    /// <summary>The v3 <c>chunk_key_encoding</c> object.</summary>
    public JsonObject ToV3Json() => new() { ["name"] = IsV2 ? "v2" : "default", ["configuration"] = new JsonObject { ["separator"] = Separator.ToString() } };

    /// <inheritdoc />
    public override string ToString() => $"{(IsV2 ? "v2" : "default")}('{Separator}')";
}
