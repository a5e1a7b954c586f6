using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// A v2 filter whose numcodecs configuration names data types. In Zarr v2 a filter sees the chunk's raw bytes and
/// reads them as its own dtype, byte order included; this SDK hands filters little-endian values, so the byte order
/// a filter names must agree with the order the bytes are in at that point (the array's, or the previous filter's
/// output), and the order of its output decides how the chunk is stored.
/// </summary>
public interface IV2TypedFilter : IV2Codec
{
    /// <summary>The byte order the filter reads its input in (true: big-endian), or null when that type has one byte or none.</summary>
    bool? InputBigEndian { get; }

    /// <summary>The byte order of the filter's output, or null when that type has one byte or none.</summary>
    bool? OutputBigEndian { get; }

    /// <summary>The numcodecs object with every multi-byte type in the given byte order (as a v2 array of that order needs).</summary>
    /// <param name="bigEndian">True for big-endian.</param>
    JsonObject ToV2Json(bool bigEndian);
}
