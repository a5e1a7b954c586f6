using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using ZstdSharp;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>zstd</c> codec and numcodecs' <c>zstd</c> (v2 id "zstd"): Zstandard frames, via ZstdSharp.
/// Spec: https://github.com/zarr-developers/zarr-specs/pull/256 (zstd codec).
/// </summary>
public sealed class ZstdCodec : IBytesToBytesCodec, IV2Codec
{
    [ThreadStatic] private static Decompressor? t_decompressor;
    [ThreadStatic] private static Compressor? t_compressor;
    [ThreadStatic] private static int t_compressorKey;

    /// <summary>Creates the codec.</summary>
    /// <param name="level">The compression level (negative for fast modes, up to 22).</param>
    /// <param name="checksum">Write a content checksum into each frame.</param>
    public ZstdCodec(int level = 0, bool checksum = false)
    {
        if (level is < -131072 or > 22) throw new FormatException($"codec 'zstd': level must be at most 22, got {level}");
        Level = level;
        Checksum = checksum;
    }

    /// <summary>The compression level.</summary>
    public int Level { get; }

    /// <summary>True to write a content checksum.</summary>
    public bool Checksum { get; }

    /// <inheritdoc />
    public string Name => "zstd";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["level"] = Level, ["checksum"] = Checksum } };

    /// <summary>numcodecs' form; "checksum" only when set, as numcodecs before 0.13 rejects it.</summary>
    public JsonObject ToV2Json()
    {
        var o = new JsonObject { ["id"] = "zstd", ["level"] = Level };
        if (Checksum) o["checksum"] = true;
        return o;
    }

    private static Decompressor Decompressor => t_decompressor ??= new Decompressor();

    private Compressor Compressor
    {
        get
        {
            int key = Level * 2 + (Checksum ? 1 : 0);
            if (t_compressor is null || t_compressorKey != key)
            {
                t_compressor?.Dispose();
                t_compressor = new Compressor(Level);
                t_compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, Checksum ? 1 : 0);
                t_compressorKey = key;
            }
            return t_compressor;
        }
    }

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        var b = new PooledBuffer(Compressor.GetCompressBound(decoded.Length));
        try
        {
            int n = Compressor.Wrap(decoded, b.Span);
            b.Truncate(n);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        if (expectedLength is { } n)
        {
            var exact = new PooledBuffer(n);
            try
            {
                DecodeInto(encoded, exact.Span);
                return exact;
            }
            catch
            {
                exact.Dispose();
                throw;
            }
        }
        if (encoded.IsEmpty) throw NoFrame();
        // An upper bound of the decoded size: the content sizes the frame headers claim, or, for frames without
        // one, their block count times the largest block. A claim is not trusted beyond what the encoded bytes
        // can hold: every block of up to 128 KiB takes at least 3 bytes.
        ulong size;
        try { size = Decompressor.GetDecompressedSize(encoded); }
        catch (ZstdException e) { throw new ZarrCodecException(null, Name, $"corrupt or truncated frame: {e.Message}", e); }
        if (size == 0) return DecodeStreaming(encoded);
        ulong plausible = ((ulong)encoded.Length / 3 + 1) * MaxBlockSize;
        if (size > DeflateCodecBase.MaxUnboundedDecodedLength || size > plausible)
            throw new ZarrCodecException(null, Name, $"the frame claims {size} bytes, more than {encoded.Length} encoded bytes can hold (or than the {DeflateCodecBase.MaxUnboundedDecodedLength} allowed without an expected size)");
        var b = new PooledBuffer((int)size);
        try
        {
            b.Truncate(Unwrap(encoded, b.Span));
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    private PooledBuffer DecodeStreaming(ReadOnlySpan<byte> encoded)
    {
        using var input = new MemoryStream(encoded.ToArray(), writable: false);
        using var z = new DecompressionStream(input);
        using var output = new MemoryStream();
        var buf = new byte[81920];
        try
        {
            int r;
            while ((r = z.Read(buf)) > 0)
            {
                output.Write(buf, 0, r);
                if (output.Length > DeflateCodecBase.MaxUnboundedDecodedLength) throw new ZarrCodecException(null, Name, $"decoded data exceeds {DeflateCodecBase.MaxUnboundedDecodedLength} bytes");
            }
        }
        catch (ZstdException e) { throw new ZarrCodecException(null, Name, $"corrupt data: {e.Message}", e); }
        return PooledBuffer.CopyOf(output.GetBuffer().AsSpan(0, (int)output.Length));
    }

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (encoded.IsEmpty) throw NoFrame();
        int n = Unwrap(encoded, destination);
        if (n != destination.Length) throw new ZarrCodecException(null, Name, $"decoded size {n} bytes, expected {destination.Length}");
    }

    private const int MaxBlockSize = 128 * 1024;

    private ZarrCodecException NoFrame() => new(null, Name, "no data: an empty value is not a zstd frame");

    private int Unwrap(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (NativeZstd.Available) return NativeZstd.Decompress(encoded, destination);
        try
        {
            return Decompressor.Unwrap(encoded, destination);
        }
        catch (ZstdException e)
        {
            throw new ZarrCodecException(null, Name, $"corrupt or truncated data, or decoded size larger than the {destination.Length} bytes expected: {e.Message}", e);
        }
    }
}
