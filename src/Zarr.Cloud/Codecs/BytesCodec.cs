using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>bytes</c> codec (array → bytes): elements in C order with the given byte order.
/// Also the implicit serialisation of v2 arrays, with the dtype's byte order.
/// Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/bytes/index.html
/// </summary>
public sealed class BytesCodec : IArrayToBytesCodec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="bigEndian">True to store big-endian; null when the type has one byte (no order).</param>
    public BytesCodec(bool? bigEndian = false)
    {
        BigEndian = bigEndian;
    }

    /// <summary>True for big-endian, false for little, null for unspecified.</summary>
    public bool? BigEndian { get; }

    /// <inheritdoc />
    public string Name => "bytes";

    /// <summary>Builds the codec from v3 configuration.</summary>
    /// <param name="configuration">The configuration, or null.</param>
    public static BytesCodec FromConfiguration(JsonObject? configuration)
    {
        var e = configuration?["endian"];
        if (e is null) return new BytesCodec(null);
        return e.GetValue<string>() switch
        {
            "little" => new BytesCodec(false),
            "big" => new BytesCodec(true),
            var other => throw new FormatException($"codec 'bytes': endian must be \"little\" or \"big\", got \"{other}\""),
        };
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name };
        if (BigEndian is { } b) o["configuration"] = new JsonObject { ["endian"] = b ? "big" : "little" };
        return o;
    }

    private bool Swap(ChunkSpec spec)
    {
        if (!spec.DataType.IsFixedSize) throw new ZarrCodecException(null, Name, $"data type {spec.DataType} has no fixed size; use vlen-utf8");
        if (spec.DataType.SwapUnit > 1 && BigEndian is null) throw new ZarrCodecException(null, Name, $"configuration.endian is required for data type {spec.DataType}");
        return BigEndian == true && spec.DataType.SwapUnit > 1;
    }

    /// <inheritdoc />
    public int? GetEncodedLength(ChunkSpec spec) => spec.ByteLength;

    /// <inheritdoc />
    public PooledBuffer Encode(ChunkData decoded, ChunkSpec spec)
    {
        var src = decoded.Bytes ?? throw new ZarrCodecException(null, Name, "expected fixed-size elements");
        var b = PooledBuffer.CopyOf(src.Span[..spec.ByteLength]);
        if (Swap(spec)) Endianness.SwapInPlace(b.Span, spec.DataType.SwapUnit);
        return b;
    }

    /// <inheritdoc />
    public ChunkData Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        var b = new PooledBuffer(spec.ByteLength);
        try
        {
            if (!TryDecodeInto(encoded, spec, b.Span)) throw new InvalidOperationException("unreachable");
            return ChunkData.FromBytes(b);
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool TryDecodeInto(ReadOnlySpan<byte> encoded, ChunkSpec spec, Span<byte> destination)
    {
        if (encoded.Length != spec.ByteLength)
            throw new ZarrCodecException(null, Name, $"decoded size {encoded.Length} bytes, expected {spec.ByteLength} (shape [{string.Join(", ", spec.Shape)}] of {spec.DataType})");
        if (!encoded.Overlaps(destination) || !Unsafe.AreSame(encoded, destination)) encoded.CopyTo(destination);
        if (Swap(spec)) Endianness.SwapInPlace(destination, spec.DataType.SwapUnit);
        return true;
    }

    /// <summary>Swaps in place a buffer already holding the encoded bytes, when this codec needs to.</summary>
    /// <param name="data">The bytes, decoded in place.</param>
    /// <param name="spec">The chunk's description.</param>
    internal void DecodeInPlace(Span<byte> data, ChunkSpec spec)
    {
        if (data.Length != spec.ByteLength)
            throw new ZarrCodecException(null, Name, $"decoded size {data.Length} bytes, expected {spec.ByteLength}");
        if (Swap(spec)) Endianness.SwapInPlace(data, spec.DataType.SwapUnit);
    }

    private static class Unsafe
    {
        public static bool AreSame(ReadOnlySpan<byte> a, Span<byte> b) =>
            a.Length == b.Length && System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a), ref System.Runtime.InteropServices.MemoryMarshal.GetReference((ReadOnlySpan<byte>)b));
    }
}
