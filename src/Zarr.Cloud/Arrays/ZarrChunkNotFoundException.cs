namespace Zarr.Cloud.Arrays;

/// <summary>A chunk is missing and <see cref="MissingChunkBehavior.Throw"/> was asked for.</summary>
public class ZarrChunkNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The chunk's store key.</param>
    public ZarrChunkNotFoundException(string key) : base($"Chunk '{key}' does not exist (MissingChunks is Throw).", key)
    {
        Key = key;
    }

    /// <summary>The chunk's store key.</summary>
    public string Key { get; }
}
