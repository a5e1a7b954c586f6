using System.IO.Hashing;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>CRC32</c> (v2 id "crc32", v3 name "numcodecs.crc32"): the zlib CRC-32 of the data, 4 bytes
/// little-endian, before the data (or after it, with location "end"). Computed by System.IO.Hashing.
/// Reference: https://numcodecs.readthedocs.io/en/stable/checksum32.html
/// </summary>
public sealed class Crc32Codec : Checksum32Codec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="atEnd">True to append the checksum (location "end"); numcodecs prepends it.</param>
    public Crc32Codec(bool atEnd = false) : base(atEnd) { }

    /// <inheritdoc />
    public override string Id => "crc32";

    /// <summary>Builds the codec from its numcodecs configuration (optional location).</summary>
    /// <param name="configuration">The configuration.</param>
    public static Crc32Codec FromConfiguration(JsonObject? configuration) => new(ReadAtEnd(configuration, false, "crc32"));

    /// <inheritdoc />
    public override uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(data);
}
