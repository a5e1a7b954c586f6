using System.Buffers.Binary;
using System.Text.Json.Nodes;
using K4os.Compression.LZ4;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>LZ4</c> (v2 id "lz4", v3 name "numcodecs.lz4"), bytes → bytes: the decoded length as a 4-byte
/// little-endian integer, then one LZ4 block (not the LZ4 frame format). Compression by K4os.Compression.LZ4 in its
/// fast mode; <see cref="Acceleration"/> is kept in metadata (any LZ4 block decodes the same way).
/// Reference: https://numcodecs.readthedocs.io/en/stable/compression/lz4.html
/// </summary>
public sealed class Lz4Codec : IBytesToBytesCodec, IV2Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="acceleration">numcodecs' acceleration (1 is the default; larger is faster and compresses less).</param>
    public Lz4Codec(int acceleration = 1)
    {
        Acceleration = acceleration;
    }

    /// <summary>The acceleration recorded in metadata.</summary>
    public int Acceleration { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.lz4";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["acceleration"] = Acceleration } };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "lz4", ["acceleration"] = Acceleration };

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        var b = new PooledBuffer(4 + LZ4Codec.MaximumOutputSize(decoded.Length));
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.Span, decoded.Length);
            int n = LZ4Codec.Encode(decoded, b.Span[4..], LZ4Level.L00_FAST);
            if (n < 0) throw new ZarrCodecException(null, Name, $"compressing {decoded.Length} bytes failed");
            b.Truncate(4 + n);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    private int DeclaredLength(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 4) throw new ZarrCodecException(null, Name, $"{encoded.Length} bytes is too short for the 4-byte length header");
        int length = BinaryPrimitives.ReadInt32LittleEndian(encoded);
        if (length < 0) throw new ZarrCodecException(null, Name, $"the header claims {(uint)length} bytes, more than a chunk can hold");
        return length;
    }

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        int length = DeclaredLength(encoded);
        if (expectedLength is { } n && n != length) throw new ZarrCodecException(null, Name, $"the header claims {length} bytes, expected {n}");
        if (length > DeflateCodecBase.MaxUnboundedDecodedLength) throw new ZarrCodecException(null, Name, $"the header claims {length} bytes, more than the {DeflateCodecBase.MaxUnboundedDecodedLength} allowed without an expected size");
        // An LZ4 block expands at most 255-fold: a header claiming more than that is corrupt, whatever the data.
        if (length > (long)(encoded.Length - 4) * 255 + 16) throw new ZarrCodecException(null, Name, $"the header claims {length} bytes, more than {encoded.Length - 4} compressed bytes can hold");
        return DecodeBuffers.DecodeNew(this, encoded, length);
    }

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        int length = DeclaredLength(encoded);
        if (length != destination.Length) throw new ZarrCodecException(null, Name, $"the header claims {length} bytes, expected {destination.Length}");
        int n = LZ4Codec.Decode(encoded[4..], destination);
        if (n != destination.Length) throw new ZarrCodecException(null, Name, n < 0 ? "corrupt or truncated LZ4 block" : $"decoded size {n} bytes, expected {destination.Length}");
    }
}
