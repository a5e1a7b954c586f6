using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Shuffle</c> (v2 id "shuffle", v3 name "numcodecs.shuffle"), bytes → bytes: the bytes of
/// <see cref="ElementSize"/>-byte elements regrouped so that byte 0 of every element comes first, then byte 1, and
/// so on (which helps a compressor after it). The length must be a multiple of the element size; an element size
/// of 0 or 1 leaves the bytes as they are. Reference: https://numcodecs.readthedocs.io/en/stable/filter/shuffle.html
/// </summary>
public sealed class ShuffleCodec : IBytesToBytesCodec, IV2Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="elementSize">The size of an element in bytes (numcodecs' default is 4).</param>
    public ShuffleCodec(int elementSize = 4)
    {
        if (elementSize < 0) throw new FormatException($"codec 'shuffle': elementsize must not be negative, got {elementSize}");
        ElementSize = elementSize;
    }

    /// <summary>The element size in bytes.</summary>
    public int ElementSize { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.shuffle";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["elementsize"] = ElementSize } };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "shuffle", ["elementsize"] = ElementSize };

    private void Check(int length)
    {
        if (ElementSize > 1 && length % ElementSize != 0) throw new ZarrCodecException(null, Name, $"{length} bytes is not a whole number of {ElementSize}-byte elements");
    }

    /// <summary>Shuffles (or, with <paramref name="unshuffle"/>, restores) <paramref name="source"/> into <paramref name="destination"/> of the same length.</summary>
    /// <param name="source">The bytes.</param>
    /// <param name="destination">The result.</param>
    /// <param name="elementSize">The element size.</param>
    /// <param name="unshuffle">True to undo a shuffle.</param>
    public static unsafe void Shuffle(ReadOnlySpan<byte> source, Span<byte> destination, int elementSize, bool unshuffle)
    {
        if (elementSize <= 1)
        {
            source.CopyTo(destination);
            return;
        }
        // Blosc's byte shuffle is the same transform; given whole elements only, bytes past them stay as they are.
        int length = source.Length / elementSize * elementSize;
        fixed (byte* s = source, d = destination[..length])
        {
            if (unshuffle) Blosc.BloscShuffle.Unshuffle(elementSize, s, d, length);
            else Blosc.BloscShuffle.Shuffle(elementSize, s, d, length);
        }
    }

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        Check(decoded.Length);
        var b = new PooledBuffer(decoded.Length);
        Shuffle(decoded, b.Span, ElementSize, unshuffle: false);
        return b;
    }

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        if (expectedLength is { } n && n != encoded.Length) throw new ZarrCodecException(null, Name, $"{encoded.Length} bytes, expected {n}");
        return DecodeBuffers.DecodeNew(this, encoded, encoded.Length);
    }

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination)
    {
        if (encoded.Length != destination.Length) throw new ZarrCodecException(null, Name, $"{encoded.Length} bytes, expected {destination.Length}");
        Check(encoded.Length);
        Shuffle(encoded, destination, ElementSize, unshuffle: true);
    }
}
