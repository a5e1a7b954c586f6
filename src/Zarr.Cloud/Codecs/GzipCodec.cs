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
    protected override Stream Wrap(Stream stream, bool compress) =>
        compress ? new GZipStream(stream, Options, leaveOpen: true) : new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
}
