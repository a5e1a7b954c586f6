using System.IO.Compression;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>gzip</c> codec and numcodecs' <c>gzip</c> (v2 id "gzip"): RFC 1952 gzip members.
/// Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/gzip/index.html
/// </summary>
public sealed class GzipCodec : DeflateCodecBase
{
    /// <summary>Creates the codec.</summary>
    /// <param name="level">The compression level, 0..9 (zarr-python's default is 5).</param>
    public GzipCodec(int level = 5) : base(level) { }

    /// <inheritdoc />
    public override string Name => "gzip";

    /// <inheritdoc />
    protected override ReadOnlySpan<byte> EmptyStream => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // The last four bytes of a gzip member are the decoded size, modulo 2^32, little-endian.
    /// <inheritdoc />
    protected override bool TrailerMatches(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> decoded) =>
        encoded.Length >= 18 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(encoded[^4..]) == unchecked((uint)decoded.Length);

    /// <inheritdoc />
    protected override Stream Wrap(Stream stream, bool compress) =>
        compress ? new GZipStream(stream, Options, leaveOpen: true) : new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
}
