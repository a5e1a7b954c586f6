using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// One part of a streamed selection: the selection's intersection with one stored chunk (or shard), its place in
/// the selection's output and in the array, and its data.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ArrayPart<T>
{
    internal ArrayPart(NDArray<T> data, long[] outputStart, long[] chunkCoordinates, Selection arraySelection)
    {
        Data = data;
        OutputStart = outputStart;
        ChunkCoordinates = chunkCoordinates;
        ArraySelection = arraySelection;
    }

    /// <summary>The part's elements, in C order, shaped <see cref="Shape"/>.</summary>
    public NDArray<T> Data { get; }

    /// <summary>
    /// Where the part starts in the selection's output (the shape <see cref="ZarrArray.ReadAsync{T}(Selection, CancellationToken)"/>
    /// returns: axes selected by an integer index are dropped).
    /// </summary>
    public long[] OutputStart { get; }

    /// <summary>The part's shape, in the output's axes.</summary>
    public int[] Shape => Data.Shape;

    /// <summary>The coordinates of the chunk (or shard) the part comes from, one per array axis.</summary>
    public long[] ChunkCoordinates { get; }

    /// <summary>The array's elements in this part: reading it gives the same values as <see cref="Data"/>.</summary>
    public Selection ArraySelection { get; }

    /// <inheritdoc />
    public override string ToString() => $"ArrayPart(chunk [{string.Join(", ", ChunkCoordinates)}], output start [{string.Join(", ", OutputStart)}], shape [{string.Join(", ", Shape)}])";
}
