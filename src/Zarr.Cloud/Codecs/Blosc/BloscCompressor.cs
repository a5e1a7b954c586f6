namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>The compressor inside a Blosc frame (the <c>cname</c> of numcodecs and of the v3 <c>blosc</c> codec).</summary>
public enum BloscCompressor
{
    /// <summary>"blosclz": c-blosc's own LZ77 codec.</summary>
    BloscLZ,

    /// <summary>"lz4".</summary>
    LZ4,

    /// <summary>"lz4hc": LZ4's high-compression mode (the same stream format as lz4).</summary>
    LZ4HC,

    /// <summary>"snappy".</summary>
    Snappy,

    /// <summary>"zlib".</summary>
    Zlib,

    /// <summary>"zstd".</summary>
    Zstd,
}
