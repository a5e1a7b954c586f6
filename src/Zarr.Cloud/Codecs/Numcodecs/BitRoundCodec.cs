using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>BitRound</c> filter (v2 id "bitround", v3 name "numcodecs.bitround"), array → array, lossy: rounds
/// the mantissa of float16/32/64 values to <see cref="KeepBits"/> bits (round half to even, on the integer view of
/// each value, as numcodecs does), leaving data that compresses better. The stored bytes are still floats, so
/// decoding changes nothing. Reference: https://numcodecs.readthedocs.io/en/stable/filter/bitround.html
/// </summary>
public sealed class BitRoundCodec : IArrayToArrayCodec, IV2Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="keepBits">The mantissa bits to keep: 0 up to 10, 23 or 52 for float16, float32 or float64.</param>
    public BitRoundCodec(int keepBits)
    {
        if (keepBits < 0) throw new FormatException($"codec 'bitround': keepbits must be zero or positive, got {keepBits}");
        KeepBits = keepBits;
    }

    /// <summary>The mantissa bits kept.</summary>
    public int KeepBits { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.bitround";

    /// <summary>Builds the codec from its numcodecs configuration (keepbits).</summary>
    /// <param name="configuration">The configuration.</param>
    public static BitRoundCodec FromConfiguration(JsonObject? configuration)
    {
        var keep = CodecRegistry.Int(configuration, "keepbits", -1);
        if (configuration?["keepbits"] is null) throw new FormatException("codec 'bitround': configuration field 'keepbits' is required");
        return new BitRoundCodec(keep);
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["keepbits"] = KeepBits } };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "bitround", ["keepbits"] = KeepBits };

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded) => decoded;

    /// <summary>The mantissa bits of a float type.</summary>
    /// <param name="type">The type.</param>
    public static int MantissaBits(ZarrDataType type) => type.Kind != DataTypeKind.Float ? 0 : type.ItemSize switch { 2 => 10, 4 => 23, _ => 52 };

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        var type = decodedSpec.DataType;
        if (type.Kind != DataTypeKind.Float) throw new ZarrCodecException(null, Name, $"only float arrays can be bit-rounded, not {type}");
        int bits = MantissaBits(type);
        if (KeepBits > bits) throw new ZarrCodecException(null, Name, $"keepbits {KeepBits} is more than the {bits} mantissa bits of {type}");
        var result = PooledBuffer.CopyOf(FilterChecks.Bytes(decoded, decodedSpec.ByteLength, Name));
        if (KeepBits == bits) return ChunkData.FromBytes(result);
        int maskBits = bits - KeepBits;
        long half = (1L << (maskBits - 1)) - 1;
        switch (type.ItemSize)
        {
            case 2:
                foreach (ref var x in MemoryMarshal.Cast<byte, short>(result.Span))
                    x = (short)((x + ((x >> maskBits) & 1) + half) & (-1 << maskBits));
                break;
            case 4:
                foreach (ref var x in MemoryMarshal.Cast<byte, int>(result.Span))
                    x = unchecked((x + ((x >> maskBits) & 1) + (int)half) & (-1 << maskBits));
                break;
            default:
                foreach (ref var x in MemoryMarshal.Cast<byte, long>(result.Span))
                    x = unchecked((x + ((x >> maskBits) & 1) + half) & (-1L << maskBits));
                break;
        }
        return ChunkData.FromBytes(result);
    }

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec) =>
        ChunkData.FromBytes(PooledBuffer.CopyOf(FilterChecks.Bytes(encoded, decodedSpec.ByteLength, Name)));
}
