using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// Decoding through a library's decompression stream (bzip2, xz, lzma): exactly the expected length, never more
/// than <see cref="DeflateCodecBase.MaxUnboundedDecodedLength"/> without one, and every library error (they throw
/// many kinds on corrupt input) reported as a <see cref="ZarrCodecException"/>.
/// </summary>
internal static class StreamDecoding
{
    private static bool IsDataError(Exception e) => e is not (ZarrCodecException or OutOfMemoryException or OperationCanceledException or StackOverflowException);

    /// <summary>Decodes into a new buffer.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="expectedLength">The decoded length, when known.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="open">Wraps the input in a decompression stream.</param>
    public static unsafe PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength, string codec, Func<Stream, Stream> open)
    {
        fixed (byte* p = encoded)
        {
            using Stream input = encoded.IsEmpty ? new MemoryStream() : new UnmanagedMemoryStream(p, encoded.Length);
            return Decode(input, expectedLength, codec, open);
        }
    }

    /// <summary>Decodes a stream of compressed bytes into a new buffer.</summary>
    /// <param name="input">The compressed bytes.</param>
    /// <param name="expectedLength">The decoded length, when known.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="open">Wraps the input in a decompression stream.</param>
    public static PooledBuffer Decode(Stream input, int? expectedLength, string codec, Func<Stream, Stream> open)
    {
        if (expectedLength is { } n)
        {
            var b = new PooledBuffer(n);
            try
            {
                DecodeInto(input, b.Span, codec, open);
                return b;
            }
            catch
            {
                b.Dispose();
                throw;
            }
        }
        return DecodeUnbounded(input, codec, open);
    }

    private static PooledBuffer DecodeUnbounded(Stream input, string codec, Func<Stream, Stream> open)
    {
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            using var z = open(input);
            int r;
            while ((r = z.Read(chunk, 0, chunk.Length)) > 0)
            {
                output.Write(chunk, 0, r);
                if (output.Length > DeflateCodecBase.MaxUnboundedDecodedLength) throw new ZarrCodecException(null, codec, $"decoded data exceeds {DeflateCodecBase.MaxUnboundedDecodedLength} bytes");
            }
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw new ZarrCodecException(null, codec, $"corrupt or truncated data: {e.Message}", e);
        }
        return PooledBuffer.CopyOf(output.GetBuffer().AsSpan(0, (int)output.Length));
    }

    /// <summary>Decodes into <paramref name="destination"/>, which the data must fill exactly.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="destination">The decoded bytes.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="open">Wraps the input in a decompression stream.</param>
    public static unsafe void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination, string codec, Func<Stream, Stream> open)
    {
        fixed (byte* p = encoded)
        {
            using Stream input = encoded.IsEmpty ? new MemoryStream() : new UnmanagedMemoryStream(p, encoded.Length);
            DecodeInto(input, destination, codec, open);
        }
    }

    /// <summary>Decodes a stream of compressed bytes into <paramref name="destination"/>, which they must fill exactly.</summary>
    /// <param name="input">The compressed bytes.</param>
    /// <param name="destination">The decoded bytes.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="open">Wraps the input in a decompression stream.</param>
    public static void DecodeInto(Stream input, Span<byte> destination, string codec, Func<Stream, Stream> open)
    {
        try
        {
            using var z = open(input);
            int length = 0;
            while (length < destination.Length)
            {
                int r = z.Read(destination[length..]);
                if (r == 0) throw new ZarrCodecException(null, codec, $"decoded size {length} bytes, expected {destination.Length} (truncated data?)");
                length += r;
            }
            Span<byte> one = stackalloc byte[1];
            if (z.Read(one) != 0) throw new ZarrCodecException(null, codec, $"decoded data is longer than the expected {destination.Length} bytes");
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw new ZarrCodecException(null, codec, $"corrupt or truncated data: {e.Message}", e);
        }
    }
}
