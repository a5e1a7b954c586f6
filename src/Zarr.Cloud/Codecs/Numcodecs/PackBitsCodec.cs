using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>PackBits</c> filter (v2 id "packbits", v3 name "numcodecs.packbits"), array → array: a boolean
/// chunk, flattened, becomes a 1-D uint8 array of one header byte (the number of padding bits in the last byte,
/// 0..7) and eight elements per byte, first element in the most significant bit (NumPy's <c>packbits</c>).
/// Any non-zero element counts as true. Reference: https://numcodecs.readthedocs.io/en/stable/filter/packbits.html
/// </summary>
public sealed class PackBitsCodec : IArrayToArrayCodec, IV2Codec
{
    /// <inheritdoc />
    public string Name => "numcodecs.packbits";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject() };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "packbits" };

    /// <summary>Builds the codec, checking the chunk holds one-byte elements (bool, or 8-bit integers read as bools).</summary>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static PackBitsCodec Create(ChunkSpec decodedSpec)
    {
        var codec = new PackBitsCodec();
        try
        {
            codec.GetEncodedSpec(decodedSpec);
        }
        catch (ZarrCodecException e)
        {
            throw new FormatException(e.Message, e);
        }
        return codec;
    }

    private static int PackedLength(long count) => checked((int)(1 + (count + 7) / 8));

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        if (decoded.DataType.Kind is not (DataTypeKind.Bool or DataTypeKind.Int or DataTypeKind.UInt) || decoded.DataType.ItemSize != 1)
            throw new ZarrCodecException(null, Name, $"packs one-byte elements (bool), not {decoded.DataType}");
        return new ChunkSpec([PackedLength(decoded.ElementCount)], ZarrDataType.UInt8, FillValue.Default(ZarrDataType.UInt8));
    }

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        int n = checked((int)decodedSpec.ElementCount);
        var input = FilterChecks.Bytes(decoded, n, Name);
        var packed = new PooledBuffer(PackedLength(n));
        var output = packed.Span;
        output.Clear();
        output[0] = (byte)((8 - n % 8) % 8);
        for (int i = 0; i < n; i++)
            if (input[i] != 0) output[1 + (i >> 3)] |= (byte)(0x80 >> (i & 7));
        return ChunkData.FromBytes(packed);
    }

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec)
    {
        int n = checked((int)decodedSpec.ElementCount);
        var input = (encoded.Bytes ?? throw new ZarrCodecException(null, Name, "expected bytes, got strings")).Span;
        int expected = PackedLength(n);
        if (input.Length != expected) throw new ZarrCodecException(null, Name, $"{input.Length} packed bytes, expected {expected} for {n} elements");
        int padding = (8 - n % 8) % 8;
        if (input[0] != padding) throw new ZarrCodecException(null, Name, $"the header says {input[0]} padding bits, {n} elements need {padding}");
        var result = new PooledBuffer(n);
        var output = result.Span;
        for (int i = 0; i < n; i++) output[i] = (byte)((input[1 + (i >> 3)] >> (7 - (i & 7))) & 1);
        return ChunkData.FromBytes(result);
    }
}
