using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// numcodecs' <c>zlib</c> (v2 id "zlib", v3 name "numcodecs.zlib"): RFC 1950 zlib streams.
/// </summary>
public sealed class ZlibCodec : DeflateCodecBase
{
    /// <summary>Creates the codec.</summary>
    /// <param name="level">The compression level, 0..9 (numcodecs' default is 1).</param>
    public ZlibCodec(int level = 1) : base(level) { }

    /// <inheritdoc />
    public override string Name => "numcodecs.zlib";

    /// <inheritdoc />
    protected override ReadOnlySpan<byte> EmptyStream => [0x78, 0x9c, 3, 0, 0, 0, 0, 1];

    // The last four bytes of a zlib stream are the Adler-32 of the decoded data, big-endian.
    /// <inheritdoc />
    protected override bool TrailerMatches(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> decoded) =>
        encoded.Length >= 6 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(encoded[^4..]) == Numcodecs.Adler32Codec.Adler32(decoded);

    /// <inheritdoc />
    protected override Stream Wrap(Stream stream, bool compress) =>
        compress ? new ZLibStream(stream, Options, leaveOpen: true) : new ZLibStream(stream, CompressionMode.Decompress, leaveOpen: true);

    /// <inheritdoc />
    public override JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["level"] = Level } };
}
