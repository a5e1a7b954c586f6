namespace Zarr.Cloud.Arrays;

/// <summary>What a read does where a chunk does not exist in the store.</summary>
public enum MissingChunkBehavior
{
    /// <summary>The chunk's elements are the fill value (the Zarr default).</summary>
    Fill,

    /// <summary>Throw <see cref="ZarrChunkNotFoundException"/>.</summary>
    Throw,
}
