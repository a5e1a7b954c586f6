using System.Buffers.Binary;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The framing every 32-bit checksum codec shares (crc32c, and numcodecs' crc32, adler32, fletcher32): the data with
/// its checksum, 4 bytes little-endian, before or after it; decoding checks and strips it.
/// </summary>
internal static class ChecksumFrame
{
    public static PooledBuffer Encode(ReadOnlySpan<byte> decoded, uint sum, bool atEnd)
    {
        var b = new PooledBuffer(decoded.Length + 4);
        var s = b.Span;
        if (atEnd)
        {
            decoded.CopyTo(s);
            BinaryPrimitives.WriteUInt32LittleEndian(s[decoded.Length..], sum);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s, sum);
            decoded.CopyTo(s[4..]);
        }
        return b;
    }

    /// <summary>The data inside <paramref name="encoded"/> after checking its checksum with <paramref name="compute"/>.</summary>
    public static ReadOnlySpan<byte> Check(ReadOnlySpan<byte> encoded, bool atEnd, Func<ReadOnlySpan<byte>, uint> compute, string codec)
    {
        if (encoded.Length < 4) throw new ZarrCodecException(null, codec, $"{encoded.Length} bytes is too short to hold a checksum");
        var data = atEnd ? encoded[..^4] : encoded[4..];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(atEnd ? encoded[^4..] : encoded);
        uint actual = compute(data);
        if (stored != actual) throw new ZarrCodecException(null, codec, $"checksum mismatch: stored 0x{stored:x8}, computed 0x{actual:x8}");
        return data;
    }

    public static PooledBuffer Decode(ReadOnlySpan<byte> data, int? expectedLength, string codec)
    {
        if (expectedLength is { } n && n != data.Length) throw new ZarrCodecException(null, codec, $"decoded size {data.Length} bytes, expected {n}");
        return PooledBuffer.CopyOf(data);
    }

    public static void DecodeInto(ReadOnlySpan<byte> data, Span<byte> destination, string codec)
    {
        if (data.Length != destination.Length) throw new ZarrCodecException(null, codec, $"decoded size {data.Length} bytes, expected {destination.Length}");
        data.CopyTo(destination);
    }
}
