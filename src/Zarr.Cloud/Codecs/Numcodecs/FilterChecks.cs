using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>Checks the numcodecs filters share: configuration fields, and that a chunk is what a filter reads.</summary>
internal static class FilterChecks
{
    /// <summary>The configuration's dtype field, or <paramref name="fallback"/> when absent or null.</summary>
    /// <param name="c">The configuration.</param>
    /// <param name="field">The field.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="fallback">The default; null makes the field required.</param>
    public static ZarrDataType DataType(JsonObject? c, string field, string codec, ZarrDataType? fallback = null)
    {
        var node = c?[field];
        if (node is null) return fallback ?? throw new FormatException($"codec '{codec}': configuration field '{field}' is required");
        return NumpyTypes.Parse(node, codec, field);
    }

    /// <summary>
    /// Throws unless the chunk's elements can be read as <paramref name="dtype"/>: numcodecs views the chunk's bytes as
    /// its dtype, which this SDK allows for types of the same size (so a datetime64 chunk may be read as int64).
    /// </summary>
    /// <param name="spec">The chunk the filter sees.</param>
    /// <param name="dtype">The filter's input type.</param>
    /// <param name="codec">The codec, for messages.</param>
    public static void Fits(ChunkSpec spec, ZarrDataType dtype, string codec)
    {
        if (dtype.Kind == DataTypeKind.String || spec.DataType.Kind == DataTypeKind.String)
        {
            if (dtype.Kind != spec.DataType.Kind) throw new ZarrCodecException(null, codec, $"dtype {dtype} does not fit the chunk's {spec.DataType}");
            return;
        }
        if (spec.DataType.ItemSize != dtype.ItemSize) throw new ZarrCodecException(null, codec, $"dtype {dtype} ({dtype.ItemSize} bytes) does not fit the chunk's {spec.DataType} ({spec.DataType.ItemSize} bytes)");
    }

    /// <summary>Runs <see cref="Fits"/> at build time, where a mismatch is a metadata error.</summary>
    /// <param name="spec">The chunk the filter sees.</param>
    /// <param name="dtype">The filter's input type.</param>
    /// <param name="codec">The codec, for messages.</param>
    public static void FitsAtBuild(ChunkSpec spec, ZarrDataType dtype, string codec)
    {
        try
        {
            Fits(spec, dtype, codec);
        }
        catch (ZarrCodecException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>The chunk's bytes, exactly <paramref name="length"/> of them.</summary>
    /// <param name="chunk">The chunk.</param>
    /// <param name="length">The length the spec implies.</param>
    /// <param name="codec">The codec, for messages.</param>
    public static ReadOnlySpan<byte> Bytes(ChunkData chunk, int length, string codec)
    {
        var b = chunk.Bytes ?? throw new ZarrCodecException(null, codec, "expected fixed-size elements, got strings");
        if (b.Length < length) throw new ZarrCodecException(null, codec, $"the chunk has {b.Length} bytes, expected {length}");
        return b.Span[..length];
    }

    /// <summary>A spec of another type and the same shape (fill value: the type's zero).</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="type">The new type.</param>
    public static ChunkSpec WithType(ChunkSpec spec, ZarrDataType type) =>
        type.Equals(spec.DataType) ? spec : new ChunkSpec(spec.Shape, type, FillValue.Default(type));
}
