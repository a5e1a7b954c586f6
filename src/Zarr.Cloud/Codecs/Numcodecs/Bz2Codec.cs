using System.Text.Json.Nodes;
using ICSharpCode.SharpZipLib.BZip2;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>BZ2</c> (v2 id "bz2", v3 name "numcodecs.bz2"), bytes → bytes: a bzip2 stream, by SharpZipLib.
/// <see cref="Level"/> is the block size in units of 100 kB, 1..9.
/// Reference: https://numcodecs.readthedocs.io/en/stable/compression/bz2.html
/// </summary>
public sealed class Bz2Codec : IBytesToBytesCodec, IV2Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="level">The compression level, 1..9 (numcodecs' default is 1).</param>
    public Bz2Codec(int level = 1)
    {
        if (level is < 1 or > 9) throw new FormatException($"codec 'bz2': level must be 1..9, got {level}");
        Level = level;
    }

    /// <summary>The compression level.</summary>
    public int Level { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.bz2";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["level"] = Level } };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "bz2", ["level"] = Level };

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded)
    {
        using var ms = new MemoryStream(decoded.Length / 2 + 64);
        using (var z = new BZip2OutputStream(ms, Level) { IsStreamOwner = false }) z.Write(decoded);
        return PooledBuffer.CopyOf(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength) =>
        StreamDecoding.Decode(encoded, expectedLength, Name, s => new BZip2InputStream(s) { IsStreamOwner = false });

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination) =>
        StreamDecoding.DecodeInto(encoded, destination, Name, s => new BZip2InputStream(s) { IsStreamOwner = false });
}
