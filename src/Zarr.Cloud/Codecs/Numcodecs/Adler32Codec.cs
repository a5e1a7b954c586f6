using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Adler32</c> (v2 id "adler32", v3 name "numcodecs.adler32"): the zlib Adler-32 of the data, 4 bytes
/// little-endian, before the data (or after it, with location "end").
/// Reference: https://numcodecs.readthedocs.io/en/stable/checksum32.html
/// </summary>
public sealed class Adler32Codec : Checksum32Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="atEnd">True to append the checksum (location "end"); numcodecs prepends it.</param>
    public Adler32Codec(bool atEnd = false) : base(atEnd) { }

    /// <inheritdoc />
    public override string Id => "adler32";

    /// <summary>Builds the codec from its numcodecs configuration (optional location).</summary>
    /// <param name="configuration">The configuration.</param>
    public static Adler32Codec FromConfiguration(JsonObject? configuration) => new(ReadAtEnd(configuration, false, "adler32"));

    /// <inheritdoc />
    public override uint Compute(ReadOnlySpan<byte> data) => Adler32(data);

    /// <summary>The Adler-32 checksum (RFC 1950) of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public static uint Adler32(ReadOnlySpan<byte> data) => System.IO.Hashing.Adler32.HashToUInt32(data);
}
