namespace Zarr.Cloud.Arrays;

/// <summary>
/// How far a read, a stream or a copy has got: reported through <see cref="IProgress{T}"/> when it starts
/// (nothing done yet) and after each chunk, in order, one report at a time. The last report of a run that
/// completes has <see cref="ChunksDone"/> equal to <see cref="ChunksTotal"/>.
/// </summary>
/// <param name="ChunksDone">Chunks (stored chunks or shards) read so far; for a stream, parts handed to the consumer.</param>
/// <param name="ChunksTotal">Chunks the whole operation touches.</param>
/// <param name="BytesDone">Decoded bytes of the selection done so far (elements times their size; variable-length strings count 64 bytes each).</param>
/// <param name="Elapsed">Time since the operation started.</param>
public readonly record struct ZarrProgress(long ChunksDone, long ChunksTotal, long BytesDone, TimeSpan Elapsed)
{
    /// <summary>The fraction done, 0 to 1 (1 when there is nothing to do).</summary>
    public double Fraction => ChunksTotal == 0 ? 1 : (double)ChunksDone / ChunksTotal;
}
