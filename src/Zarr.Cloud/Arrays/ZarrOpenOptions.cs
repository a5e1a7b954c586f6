using Zarr.Cloud.Caching;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>Options for opening and using arrays and groups. Plain settable properties, bindable from configuration.</summary>
public class ZarrOpenOptions
{
    /// <summary>The codecs known; <see cref="CodecRegistry.Default"/> when not set.</summary>
    public CodecRegistry Codecs { get; set; } = CodecRegistry.Default;

    /// <summary>How many chunks are fetched and decoded at once by one read or write (default 16).</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// How many chunks one read decodes at once (default <see cref="Environment.ProcessorCount"/>): CPU work, bounded
    /// apart from <see cref="MaxConcurrency"/>, the requests in flight.
    /// </summary>
    public int DecodeParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// A cache of decoded chunks shared by the arrays opened with these options (default null: no cache). Reads look
    /// there first; writes through the arrays update it. One instance may serve many stores.
    /// </summary>
    public ChunkCache? ChunkCache { get; set; }

    /// <summary>What a chunk that does not exist means: the fill value (the default, as in Zarr) or an error.</summary>
    public MissingChunkBehavior MissingChunks { get; set; } = MissingChunkBehavior.Fill;

    /// <summary>Store chunks whose every element is the fill value (default false: they are deleted instead, as zarr-python does).</summary>
    public bool WriteEmptyChunks { get; set; }

    /// <summary>Use consolidated metadata when a group has it (default true).</summary>
    public bool UseConsolidatedMetadata { get; set; } = true;

    /// <summary>Options for the store, when opening by URL.</summary>
    public StoreOpenOptions Store { get; set; } = new();

    internal void Validate()
    {
        if (MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "MaxConcurrency must be at least 1.");
        if (DecodeParallelism < 1) throw new ArgumentOutOfRangeException(nameof(DecodeParallelism), DecodeParallelism, "DecodeParallelism must be at least 1.");
        ArgumentNullException.ThrowIfNull(Codecs);
    }
}
