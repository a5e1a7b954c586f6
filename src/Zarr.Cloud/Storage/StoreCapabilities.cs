namespace Zarr.Cloud.Storage;

/// <summary>What a store can do.</summary>
[Flags]
public enum StoreCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Values can be read.</summary>
    Read = 1,
    /// <summary>Values can be written and deleted.</summary>
    Write = 2,
    /// <summary>Keys can be listed.</summary>
    List = 4,
    /// <summary>Bounded and from-offset byte ranges are served without reading the whole value.</summary>
    ByteRanges = 8,
    /// <summary>Suffix ranges (the last N bytes) are served in one request.</summary>
    SuffixRanges = 16,
    /// <summary>All of the above.</summary>
    All = Read | Write | List | ByteRanges | SuffixRanges,
}
