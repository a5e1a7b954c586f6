using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;
using Crc32 = System.IO.Hashing.Crc32;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>LZMA</c> (v2 id "lzma", v3 name "numcodecs.lzma"), bytes → bytes, by SharpCompress. Reads the
/// containers Python's lzma module writes: xz (format 1, numcodecs' default), .lzma (format 2, "alone") and either
/// (format 0, auto). Writes .lzma (format 2) only: SharpCompress has no LZMA2 encoder, so encoding an xz array (a
/// write to an array zarr-python made with the default format) throws <see cref="NotSupportedException"/>.
/// Raw streams and custom filter chains (format 3, "filters") are not supported.
/// Reference: https://numcodecs.readthedocs.io/en/stable/compression/lzma.html
/// </summary>
public sealed class LzmaCodec : IBytesToBytesCodec, IV2Codec
{
    /// <summary>Python's lzma.FORMAT_AUTO: either container, on decoding.</summary>
    public const int FormatAuto = 0;

    /// <summary>Python's lzma.FORMAT_XZ.</summary>
    public const int FormatXz = 1;

    /// <summary>Python's lzma.FORMAT_ALONE (the legacy .lzma container).</summary>
    public const int FormatAlone = 2;

    private static readonly byte[] XzMagic = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];

    // The dictionary a decoder gets when nothing bounds the output (xz's largest preset uses 64 MiB).
    private const int UnboundedDictionary = 64 << 20;

    /// <summary>Creates the codec. The default writes the .lzma container (format 2), which numcodecs reads.</summary>
    /// <param name="format">0 (auto, decoding only), 1 (xz, decoding only) or 2 (.lzma).</param>
    /// <param name="check">The xz integrity check id as numcodecs records it (-1: the default); the .lzma container has none.</param>
    /// <param name="preset">The compression preset, 0..9 (null: 6); sets the dictionary size.</param>
    public LzmaCodec(int format = FormatAlone, int check = -1, int? preset = null)
    {
        if (format == 3) throw new FormatException("codec 'lzma': format 3 (raw LZMA streams with a custom filter chain) is not supported");
        if (format is < 0 or > 3) throw new FormatException($"codec 'lzma': format must be 0..3, got {format}");
        if (preset is { } p && (p & 0x7FFFFFFF) is < 0 or > 9) throw new FormatException($"codec 'lzma': preset must be 0..9, got {p}");
        Format = format;
        Check = check;
        Preset = preset;
    }

    /// <summary>The container: 0 auto, 1 xz, 2 .lzma.</summary>
    public int Format { get; }

    /// <summary>The xz check id recorded in metadata.</summary>
    public int Check { get; }

    /// <summary>The preset, or null for the default.</summary>
    public int? Preset { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.lzma";

    /// <summary>Builds the codec from its numcodecs configuration (format, check, preset, filters).</summary>
    /// <param name="configuration">The configuration.</param>
    public static LzmaCodec FromConfiguration(JsonObject? configuration)
    {
        if (configuration?["filters"] is { } f && f.GetValueKind() != JsonValueKind.Null)
            throw new FormatException("codec 'lzma': custom filter chains ('filters') are not supported");
        int? preset = configuration?["preset"] is { } p && p.GetValueKind() != JsonValueKind.Null ? CodecRegistry.Int(configuration, "preset", 6) : null;
        return new LzmaCodec(CodecRegistry.Int(configuration, "format", FormatXz), CodecRegistry.Int(configuration, "check", -1), preset);
    }

    private JsonObject Config(JsonObject o)
    {
        o["format"] = Format;
        o["check"] = Check;
        o["preset"] = Preset;
        o["filters"] = null;
        return o;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = Config([]) };

    /// <inheritdoc />
    public JsonObject ToV2Json() => Config(new JsonObject { ["id"] = "lzma" });

    /// <summary>The dictionary size of an xz preset, 0..9.</summary>
    /// <param name="preset">The preset.</param>
    public static int DictionaryOf(int preset) => (preset & 0x7FFFFFFF) switch
    {
        0 => 256 << 10,
        1 => 1 << 20,
        2 => 2 << 20,
        3 or 4 => 4 << 20,
        5 or 6 => 8 << 20,
        7 => 16 << 20,
        8 => 32 << 20,
        _ => 64 << 20,
    };

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        if (Format != FormatAlone)
            throw new NotSupportedException($"codec 'lzma': writing format {Format} ({(Format == FormatXz ? "xz" : "auto")}) is not supported, only format 2 (.lzma); SharpCompress has no LZMA2 encoder");
        // No dictionary larger than the data (and at least LZMA's 4 KiB): the .lzma header tells decoders what to allocate.
        int dictionary = Math.Min(DictionaryOf(Preset ?? 6), Math.Max(4096, (int)Math.Min(1L << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(decoded.Length, 1)))));
        using var body = new MemoryStream(decoded.Length / 2 + 64);
        byte[] properties;
        using (var z = LzmaStream.Create(new LzmaEncoderProperties(true, dictionary), false, body))
        {
            z.Write(decoded);
            properties = z.Properties;
        }
        var b = new PooledBuffer(13 + (int)body.Length);
        properties.AsSpan(0, 5).CopyTo(b.Span);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Span[5..], (ulong)decoded.Length);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(b.Span[13..]);
        return b;
    }

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        var (input, open) = Prepare(encoded, expectedLength);
        using (input) return StreamDecoding.Decode(input, expectedLength, Name, open);
    }

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        var (input, open) = Prepare(encoded, destination.Length);
        using (input) StreamDecoding.DecodeInto(input, destination, Name, open);
    }

    private (Stream Input, Func<Stream, Stream> Open) Prepare(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        bool xz = encoded.StartsWith(XzMagic);
        if (Format == FormatXz && !xz) throw new ZarrCodecException(null, Name, "the data is not an xz stream (format 1)");
        // Decoding never needs a dictionary larger than the output: bound the one the header asks for.
        int limit = Math.Max(4096, expectedLength ?? UnboundedDictionary);
        if (Format == FormatAlone || !xz) return PrepareAlone(encoded, expectedLength, limit);
        var copy = encoded.ToArray();
        BoundXzDictionary(copy, limit);
        return (new MemoryStream(copy, writable: false), s => new XZStream(s));
    }

    private (Stream, Func<Stream, Stream>) PrepareAlone(ReadOnlySpan<byte> encoded, int? expectedLength, int limit)
    {
        if (encoded.Length < 13) throw new ZarrCodecException(null, Name, $"{encoded.Length} bytes is too short for the 13-byte .lzma header");
        if (encoded[0] >= 9 * 5 * 5) throw new ZarrCodecException(null, Name, $"corrupt .lzma header (properties byte {encoded[0]})");
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(encoded[5..]);
        long outputSize = -1;
        if (size != ulong.MaxValue)
        {
            if (expectedLength is { } n && size != (ulong)n) throw new ZarrCodecException(null, Name, $"the header claims {size} bytes, expected {n}");
            if (size > DeflateCodecBase.MaxUnboundedDecodedLength) throw new ZarrCodecException(null, Name, $"the header claims {size} bytes, more than the {DeflateCodecBase.MaxUnboundedDecodedLength} allowed");
            outputSize = (long)size;
            limit = Math.Max(4096, (int)size);
        }
        var properties = encoded[..5].ToArray();
        uint dictionary = BinaryPrimitives.ReadUInt32LittleEndian(properties.AsSpan(1));
        if (dictionary > (uint)limit) BinaryPrimitives.WriteUInt32LittleEndian(properties.AsSpan(1), (uint)limit);
        var body = new MemoryStream(encoded[13..].ToArray(), writable: false);
        long inputSize = body.Length;
        return (body, s => LzmaStream.Create(properties, s, inputSize, outputSize, leaveOpen: true));
    }

    private static uint XzDictionary(int bits) => bits >= 40 ? uint.MaxValue : (2u | ((uint)bits & 1)) << (bits / 2 + 11);

    // Reads a multibyte integer of the xz format (7 bits a byte, low bits first).
    private int ReadVarint(byte[] data, ref int at, int end)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            if (at >= end) throw new ZarrCodecException(null, Name, "corrupt xz block header");
            byte b = data[at++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value > int.MaxValue ? int.MaxValue : (int)value;
        }
        throw new ZarrCodecException(null, Name, "corrupt xz block header");
    }

    /// <summary>
    /// Lowers the LZMA2 dictionary size in the first block header to the smallest that holds <paramref name="limit"/>
    /// bytes (and fixes the header's CRC32), so a header cannot make the decoder allocate more than the chunk needs.
    /// </summary>
    private void BoundXzDictionary(byte[] data, int limit)
    {
        const int streamHeader = 12;
        if (data.Length < streamHeader + 1) throw new ZarrCodecException(null, Name, $"{data.Length} bytes is too short for an xz stream");
        if (data[streamHeader] == 0) return; // no block: the index follows
        int size = (data[streamHeader] + 1) * 4;
        int end = streamHeader + size;
        if (end > data.Length) throw new ZarrCodecException(null, Name, "truncated xz block header");
        int at = streamHeader + 1;
        byte flags = data[at++];
        int filters = (flags & 3) + 1;
        if ((flags & 0x40) != 0) ReadVarint(data, ref at, end - 4);
        if ((flags & 0x80) != 0) ReadVarint(data, ref at, end - 4);
        for (int f = 0; f < filters; f++)
        {
            int id = ReadVarint(data, ref at, end - 4);
            int propertiesSize = ReadVarint(data, ref at, end - 4);
            if (at + propertiesSize > end - 4) throw new ZarrCodecException(null, Name, "corrupt xz block header");
            if (id == 0x21 && propertiesSize == 1)
            {
                int bits = data[at] & 0x3F;
                int needed = 0;
                while (XzDictionary(needed) < (uint)limit) needed++;
                if (bits > needed)
                {
                    uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(end - 4));
                    if (stored != Crc32.HashToUInt32(data.AsSpan(streamHeader, size - 4))) throw new ZarrCodecException(null, Name, "xz block header checksum mismatch");
                    data[at] = (byte)needed;
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(end - 4), Crc32.HashToUInt32(data.AsSpan(streamHeader, size - 4)));
                }
            }
            at += propertiesSize;
        }
    }
}
