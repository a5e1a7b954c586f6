using System.Runtime.CompilerServices;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>
/// Reads a selection as consecutive parts whose elements, one part after the other, are the selection's elements in
/// C order: blocks of whole indices of the first axis that selects more than one index (the axes before it select one:
/// integer indices such as the time step of a map), each of about <c>partCells</c> elements (at least one index of that
/// axis). Memory is one part, not the slice. Each block is one <see cref="ZarrArray.ReadAsync{T}(Selection, CancellationToken)"/>,
/// which reads the block's chunks concurrently; docs/slice-service.md says why this is not <c>ZarrArray.StreamAsync</c>.
/// </summary>
public static class SliceParts
{
    /// <summary>Parts of about 256 Ki elements (512 KiB of int16).</summary>
    public const long DefaultPartCells = 256 * 1024;

    /// <summary>The parts of <paramref name="axes"/> (the selection resolved against the array's shape).</summary>
    /// <param name="array">The array.</param>
    /// <param name="axes">The resolved selection.</param>
    /// <param name="partCells">About how many elements a part holds.</param>
    /// <param name="cancellationToken">Cancels the reads (the request's RequestAborted).</param>
    public static async IAsyncEnumerable<T[]> ReadAsync<T>(ZarrArray array, ResolvedAxis[] axes, long partCells,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (axes.Any(a => a.Count == 0)) yield break;
        if (axes.Length == 0)
        {
            yield return (await array.ReadAsync<T>(Selection.All, cancellationToken)).Data;
            yield break;
        }
        // The banded axis: the first that selects more than one index (or the last axis).
        int band = 0;
        while (band < axes.Length - 1 && axes[band].Count == 1) band++;
        long inner = axes.Skip(band + 1).Aggregate(1L, (n, a) => n * a.Count);
        long rows = Math.Clamp(partCells / Math.Max(1, inner), 1, axes[band].Count);
        var selection = new AxisSelection[axes.Length];
        for (int d = 0; d < axes.Length; d++) selection[d] = Of(axes[d], 0, axes[d].Count);
        for (long first = 0; first < axes[band].Count; first += rows)
        {
            selection[band] = Of(axes[band], first, Math.Min(first + rows, axes[band].Count));
            yield return (await array.ReadAsync<T>(new Selection((AxisSelection[])selection.Clone()), cancellationToken)).Data;
        }
    }

    // Indices [from, to) of a resolved axis as a selection of the array; an integer index stays one (its axis is dropped).
    private static AxisSelection Of(ResolvedAxis axis, long from, long to) => axis.Squeeze
        ? AxisSelection.At(axis.Start)
        : new Slice(axis.Start + from * axis.Step, axis.Start + (to - 1) * axis.Step + 1, axis.Step);
}
