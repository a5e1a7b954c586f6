namespace Zarr.Cloud.Arrays;

/// <summary>Options of <see cref="ZarrArray.StreamAsync{T}(Indexing.Selection, StreamOptions?, CancellationToken)"/>. Plain settable properties, bindable from configuration.</summary>
public sealed class StreamOptions
{
    /// <summary>The default <see cref="MaxBytesInFlight"/>: 64 MiB.</summary>
    public const long DefaultMaxBytesInFlight = 64L << 20;

    /// <summary>
    /// True (the default): parts come in C order of the chunk grid, later parts read ahead while the consumer
    /// works. False: parts come as their reads complete.
    /// </summary>
    public bool Ordered { get; set; } = true;

    /// <summary>
    /// The most decoded bytes held at once: parts being read plus parts read and not yet consumed (a part counts as
    /// consumed when the consumer asks for the next one). A part larger than this is still read, alone.
    /// Default <see cref="DefaultMaxBytesInFlight"/>; must be positive.
    /// </summary>
    public long MaxBytesInFlight { get; set; } = DefaultMaxBytesInFlight;

    /// <summary>How many parts are read at once; null for the array's <see cref="ZarrOpenOptions.MaxConcurrency"/>.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Told when the stream starts and after each part is handed to the consumer; null for none.</summary>
    public IProgress<ZarrProgress>? Progress { get; set; }

    /// <summary>Throws when an option is out of range, naming it.</summary>
    internal void Validate()
    {
        if (MaxBytesInFlight <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxBytesInFlight), MaxBytesInFlight, $"StreamOptions.MaxBytesInFlight must be positive, got {MaxBytesInFlight}.");
        if (MaxConcurrency is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, $"StreamOptions.MaxConcurrency must be at least 1 (or null for the array's), got {MaxConcurrency}.");
    }
}
