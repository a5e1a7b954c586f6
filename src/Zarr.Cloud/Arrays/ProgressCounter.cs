using System.Diagnostics;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// Counts chunks and decoded bytes done and reports them as <see cref="ZarrProgress"/>, in order and one at a time,
/// to an <see cref="IProgress{T}"/>: what reads and streams use, and what a copy or other chunk-by-chunk job can use
/// to report the same way. Thread-safe.
/// </summary>
/// <param name="sink">Where reports go.</param>
/// <param name="chunksTotal">The chunks the whole job touches.</param>
/// <param name="elementBytes">Decoded bytes per element.</param>
public sealed class ProgressCounter(IProgress<ZarrProgress> sink, long chunksTotal, int elementBytes)
{
    private readonly object _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _chunks;
    private long _bytes;

    /// <summary>Reports that nothing is done yet (so a display knows the total at once).</summary>
    public void Start()
    {
        lock (_gate) sink.Report(new ZarrProgress(0, chunksTotal, 0, TimeSpan.Zero));
    }

    /// <summary>Counts one chunk, of <paramref name="elements"/> elements of the selection, as done.</summary>
    /// <param name="elements">The elements of the selection in the chunk.</param>
    public void ChunkDone(long elements) => Add(1, elements);

    /// <summary>Counts <paramref name="chunks"/> chunks holding <paramref name="elements"/> elements of the job as done.</summary>
    /// <param name="chunks">Chunks done.</param>
    /// <param name="elements">Their elements.</param>
    public void Add(long chunks, long elements)
    {
        lock (_gate)
        {
            _chunks += chunks;
            _bytes += elements * elementBytes;
            sink.Report(new ZarrProgress(_chunks, chunksTotal, _bytes, Stopwatch.GetElapsedTime(_started)));
        }
    }
}
