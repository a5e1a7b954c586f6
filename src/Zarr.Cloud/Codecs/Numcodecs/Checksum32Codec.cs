using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' 32-bit checksums, bytes → bytes: the checksum of the data, 4 bytes little-endian, stored before the
/// data ("start", what crc32 and adler32 do) or after it ("end", fletcher32's place and an option of newer
/// numcodecs); decoding checks and strips it.
/// </summary>
public abstract class Checksum32Codec : IBytesToBytesCodec, IV2Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="atEnd">True to append the checksum, false to prepend it.</param>
    protected Checksum32Codec(bool atEnd)
    {
        AtEnd = atEnd;
    }

    /// <summary>True when the checksum follows the data.</summary>
    public bool AtEnd { get; }

    /// <summary>The numcodecs id, e.g. "crc32".</summary>
    public abstract string Id { get; }

    /// <inheritdoc />
    public string Name => "numcodecs." + Id;

    /// <summary>Where this kind of checksum goes when the configuration does not say.</summary>
    protected virtual bool DefaultAtEnd => false;

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public abstract uint Compute(ReadOnlySpan<byte> data);

    /// <summary>Reads numcodecs' optional "location" field ("start" or "end").</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="fallback">True when the default is "end".</param>
    /// <param name="id">The codec, for messages.</param>
    protected static bool ReadAtEnd(JsonObject? configuration, bool fallback, string id)
    {
        var node = configuration?["location"];
        if (node is null) return fallback;
        return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() switch
        {
            "start" => false,
            "end" => true,
            var other => throw new FormatException($"codec '{id}': location must be \"start\" or \"end\", got \"{other}\""),
        } : throw new FormatException($"codec '{id}': location must be \"start\" or \"end\", got {node.ToJsonString()}");
    }

    private JsonObject Config(JsonObject o)
    {
        // Written only when it differs from the default: numcodecs before 0.13 knows no "location".
        if (AtEnd != DefaultAtEnd) o["location"] = AtEnd ? "end" : "start";
        return o;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = Config([]) };

    /// <inheritdoc />
    public JsonObject ToV2Json() => Config(new JsonObject { ["id"] = Id });

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded) => ChecksumFrame.Encode(decoded, Compute(decoded), AtEnd);

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
        => ChecksumFrame.Decode(ChecksumFrame.Check(encoded, AtEnd, Compute, Name), expectedLength, Name);

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
        => ChecksumFrame.DecodeInto(ChecksumFrame.Check(encoded, AtEnd, Compute, Name), destination, Name);
}
