namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>The filter Blosc applies to each block before compressing it (numcodecs' 0, 1, 2; v3's names).</summary>
public enum BloscShuffleMode
{
    /// <summary>"noshuffle" (0): the bytes as they are.</summary>
    NoShuffle = 0,

    /// <summary>"shuffle" (1): the bytes of each significance together (byte 0 of every element, then byte 1, ...).</summary>
    Shuffle = 1,

    /// <summary>"bitshuffle" (2): the bits of each significance together.</summary>
    BitShuffle = 2,
}
