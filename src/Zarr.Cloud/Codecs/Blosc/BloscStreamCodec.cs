using System.IO.Compression;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// The compressors inside a Blosc frame, one stream at a time: BloscLZ (here), LZ4 and LZ4HC (K4os.Compression.LZ4),
/// Snappy (Snappier), zlib (System.IO.Compression) and Zstandard (ZstdSharp), with c-blosc 1.x's level mappings.
/// </summary>
internal static unsafe class BloscStreamCodec
{
    public const int FormatBlosclz = 0, FormatLz4 = 1, FormatSnappy = 2, FormatZlib = 3, FormatZstd = 4;

    [ThreadStatic] private static Decompressor? t_zstdDecompressor;
    [ThreadStatic] private static Compressor? t_zstdCompressor;
    [ThreadStatic] private static int t_zstdLevel;

    /// <summary>The format number a compressor writes in the header.</summary>
    public static int FormatOf(BloscCompressor c) => c switch
    {
        BloscCompressor.BloscLZ => FormatBlosclz,
        BloscCompressor.LZ4 or BloscCompressor.LZ4HC => FormatLz4,
        BloscCompressor.Snappy => FormatSnappy,
        BloscCompressor.Zlib => FormatZlib,
        _ => FormatZstd,
    };

    /// <summary>The name of a format, for messages.</summary>
    public static string FormatName(int format) => format switch
    {
        FormatBlosclz => "blosclz",
        FormatLz4 => "lz4",
        FormatSnappy => "snappy",
        FormatZlib => "zlib",
        FormatZstd => "zstd",
        _ => $"format {format}",
    };

    /// <summary>Decodes one stream into exactly <paramref name="expected"/> bytes; false when it does not.</summary>
    public static bool Decompress(int format, byte* src, int srcLength, byte* dst, int expected)
    {
        try
        {
            switch (format)
            {
                case FormatBlosclz:
                    return BlosclzCompressor.Decompress(src, srcLength, dst, expected) == expected;
                case FormatLz4:
                    return LZ4Codec.Decode(src, srcLength, dst, expected) == expected;
                case FormatSnappy:
                {
                    var input = new ReadOnlySpan<byte>(src, srcLength);
                    if (Snappier.Snappy.GetUncompressedLength(input) != expected) return false;
                    return Snappier.Snappy.TryDecompress(input, new Span<byte>(dst, expected), out int written) && written == expected;
                }
                case FormatZlib:
                    return DecompressZlib(src, srcLength, new Span<byte>(dst, expected));
                case FormatZstd:
                {
                    // libzstd where the system has it (as the zstd codec does): about twice ZstdSharp's speed.
                    if (NativeZstd.Available) return NativeZstd.Decompress(new ReadOnlySpan<byte>(src, srcLength), new Span<byte>(dst, expected)) == expected;
                    var z = t_zstdDecompressor ??= new Decompressor();
                    return z.TryUnwrap(new ReadOnlySpan<byte>(src, srcLength), new Span<byte>(dst, expected), out int written) && written == expected;
                }
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the libraries report corrupt data by exceptions of their own (InvalidDataException, ZstdException, ...)
            return false;
        }
    }

    private static bool DecompressZlib(byte* src, int srcLength, Span<byte> dst)
    {
        using var input = new UnmanagedMemoryStream(src, srcLength);
        using var z = new ZLibStream(input, CompressionMode.Decompress);
        int got = 0;
        while (got < dst.Length)
        {
            int r = z.Read(dst[got..]);
            if (r == 0) return false;
            got += r;
        }
        Span<byte> one = stackalloc byte[1];
        return z.Read(one) == 0;
    }

    /// <summary>The most a compressor may write for a stream of <paramref name="length"/> bytes (c-blosc's maxout).</summary>
    public static int MaxOutput(BloscCompressor c, int length) => c == BloscCompressor.Snappy ? Snappier.Snappy.GetMaxCompressedLength(length) : length;

    /// <summary>Encodes one stream into at most <paramref name="maxout"/> bytes; the bytes written, 0 when it does not fit.</summary>
    public static int Compress(BloscCompressor c, int clevel, byte* src, int length, byte* dst, int maxout)
    {
        try
        {
            switch (c)
            {
                case BloscCompressor.BloscLZ:
                    return BlosclzCompressor.Compress(clevel, src, length, dst, maxout);
                case BloscCompressor.LZ4:
                    return Math.Max(0, LZ4Codec.Encode(src, length, dst, maxout, LZ4Level.L00_FAST));
                case BloscCompressor.LZ4HC:
                    return Math.Max(0, LZ4Codec.Encode(src, length, dst, maxout, (LZ4Level)Math.Clamp(clevel, 3, 12)));
                case BloscCompressor.Snappy:
                    return Snappier.Snappy.TryCompress(new ReadOnlySpan<byte>(src, length), new Span<byte>(dst, maxout), out int s) ? s : 0;
                case BloscCompressor.Zlib:
                    return CompressZlib(clevel, src, length, dst, maxout);
                default:
                {
                    var z = ZstdCompressor(ZstdLevel(clevel));
                    return z.TryWrap(new ReadOnlySpan<byte>(src, length), new Span<byte>(dst, maxout), out int written) ? written : 0;
                }
            }
        }
        catch (Exception e) when (e is NotSupportedException or IOException or ZstdException or ArgumentException)
        {
            return 0; // did not fit
        }
    }

    /// <summary>c-blosc's zstd levels: 2·clevel − 1 below 8, 20 at 8, 22 at 9.</summary>
    public static int ZstdLevel(int clevel) => clevel switch { < 8 => clevel * 2 - 1, 8 => 20, _ => 22 };

    private static Compressor ZstdCompressor(int level)
    {
        if (t_zstdCompressor is null || t_zstdLevel != level)
        {
            t_zstdCompressor?.Dispose();
            t_zstdCompressor = new Compressor(level);
            t_zstdLevel = level;
        }
        return t_zstdCompressor;
    }

    private static int CompressZlib(int clevel, byte* src, int length, byte* dst, int maxout)
    {
        using var output = new UnmanagedMemoryStream(dst, 0, maxout, FileAccess.Write);
        using (var z = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = clevel }, leaveOpen: true))
        {
            z.Write(new ReadOnlySpan<byte>(src, length));
        }
        return (int)output.Position;
    }
}
