using System.IO.Compression;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs;

/// <summary>Shared code of the gzip and zlib codecs (System.IO.Compression streams over spans).</summary>
public abstract class DeflateCodecBase : IBytesToBytesCodec
{
    /// <summary>The most a decoder without an expected size produces before it calls the data corrupt (1 GiB).</summary>
    public const int MaxUnboundedDecodedLength = 1 << 30;

    /// <summary>Creates the codec.</summary>
    /// <param name="level">The compression level, 0..9.</param>
    protected DeflateCodecBase(int level)
    {
        if (level is < 0 or > 9) throw new FormatException($"codec '{Name}': level must be 0..9, got {level}");
        Level = level;
    }

    /// <summary>The compression level, 0..9.</summary>
    public int Level { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Wraps a stream with the format's compressor or decompressor.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="compress">True to compress.</param>
    protected abstract Stream Wrap(Stream stream, bool compress);

    /// <summary>Builds the compression options for <see cref="Level"/>.</summary>
    protected ZLibCompressionOptions Options => new() { CompressionLevel = Level };

    /// <inheritdoc />
    public virtual JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["level"] = Level } };

    /// <summary>
    /// The encoding of no bytes. System.IO.Compression writes nothing at all for an empty input, which no
    /// decoder accepts; formats override this with their minimal empty stream.
    /// </summary>
    protected virtual ReadOnlySpan<byte> EmptyStream => default;

    /// <summary>
    /// True when the end of <paramref name="encoded"/> is the trailer of a stream that produced <paramref name="decoded"/>.
    /// System.IO.Compression reports a stream cut short as a normal end, so truncation is caught here.
    /// </summary>
    /// <param name="encoded">The whole encoded value.</param>
    /// <param name="decoded">What decoding it produced.</param>
    protected virtual bool TrailerMatches(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> decoded) => true;

    private ZarrCodecException Truncated(int decodedLength) =>
        new(null, Name, $"truncated data: the stream ends without the trailer of the {decodedLength} bytes decoded");

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        if (decoded.IsEmpty && !EmptyStream.IsEmpty) return PooledBuffer.CopyOf(EmptyStream);
        using var ms = new MemoryStream(decoded.Length / 2 + 64);
        using (var z = Wrap(ms, true)) z.Write(decoded);
        return PooledBuffer.CopyOf(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <inheritdoc />
    public unsafe PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        if (encoded.IsEmpty) throw new ZarrCodecException(null, Name, "no data: an empty value is not a stream");
        if (expectedLength is { } n)
        {
            var b = new PooledBuffer(n);
            try { DecodeInto(encoded, b.Span); return b; }
            catch { b.Dispose(); throw; }
        }
        fixed (byte* p = encoded)
        {
            using var input = new UnmanagedMemoryStream(p, encoded.Length);
            var result = new PooledBuffer(Math.Max(256, Math.Min(encoded.Length * 4, MaxUnboundedDecodedLength)));
            int length = 0;
            try
            {
                using var z = Wrap(input, false);
                while (true)
                {
                    if (length == result.Length)
                    {
                        if (length >= MaxUnboundedDecodedLength) throw new ZarrCodecException(null, Name, $"decoded data exceeds {MaxUnboundedDecodedLength} bytes");
                        var bigger = new PooledBuffer((int)Math.Min((long)length * 2, MaxUnboundedDecodedLength));
                        result.Span.CopyTo(bigger.Span);
                        result.Dispose();
                        result = bigger;
                    }
                    int r = z.Read(result.Span[length..]);
                    if (r == 0) break;
                    length += r;
                }
                if (!TrailerMatches(encoded, result.Span[..length])) throw Truncated(length);
                result.Truncate(length);
                return result;
            }
            catch (InvalidDataException e)
            {
                result.Dispose();
                throw new ZarrCodecException(null, Name, $"corrupt data: {e.Message}", e);
            }
            catch
            {
                result.Dispose();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public unsafe void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (encoded.IsEmpty) throw new ZarrCodecException(null, Name, "no data: an empty value is not a stream");
        fixed (byte* p = encoded)
        {
            using var input = new UnmanagedMemoryStream(p, encoded.Length);
            try
            {
                using var z = Wrap(input, false);
                int length = 0;
                while (length < destination.Length)
                {
                    int r = z.Read(destination[length..]);
                    if (r == 0) throw new ZarrCodecException(null, Name, $"decoded size {length} bytes, expected {destination.Length} (truncated data?)");
                    length += r;
                }
                Span<byte> one = stackalloc byte[1];
                if (z.Read(one) != 0) throw new ZarrCodecException(null, Name, $"decoded data is longer than the expected {destination.Length} bytes");
                if (!TrailerMatches(encoded, destination)) throw Truncated(destination.Length);
            }
            catch (InvalidDataException e)
            {
                throw new ZarrCodecException(null, Name, $"corrupt data: {e.Message}", e);
            }
        }
    }
}
