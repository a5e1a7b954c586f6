using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Cli;

/// <summary>
/// Splits work on an array into blocks of bounded size, so that a command's memory does not grow with the
/// array: C-order blocks of a selection (for writing a file front to back) and blocks aligned to a chunk grid
/// (for copying whole destination chunks).
/// </summary>
internal static class ArrayBlocks
{
    /// <summary>The default block size: 64 MiB of decoded elements.</summary>
    public const long DefaultBlockBytes = 64L << 20;

    /// <summary>
    /// Blocks of a resolved selection, as selections of slices, whose elements read one after the other are the
    /// selection's elements in C order. Each holds about <paramref name="budget"/> bytes, at least one element.
    /// </summary>
    /// <param name="axes">The selection, resolved against the array's shape.</param>
    /// <param name="elementBytes">The size of one element (an estimate for strings).</param>
    /// <param name="budget">The block size in bytes.</param>
    public static IEnumerable<Selection> InCOrder(ResolvedAxis[] axes, long elementBytes, long budget)
    {
        int rank = axes.Length;
        if (axes.Any(a => a.Count == 0)) yield break;
        if (rank == 0)
        {
            yield return Selection.All;
            yield break;
        }
        // Split along the first axis k whose trailing part (axes after k) fits the budget.
        long maxElements = Math.Max(1, budget / Math.Max(1, elementBytes));
        int k = rank - 1;
        long inner = 1;
        while (k > 0 && inner * axes[k].Count <= maxElements)
        {
            inner *= axes[k].Count;
            k--;
        }
        long rows = Math.Clamp(maxElements / inner, 1, axes[k].Count);
        var index = new long[k]; // odometer over axes before k
        while (true)
        {
            for (long j = 0; j < axes[k].Count; j += rows)
            {
                var sel = new AxisSelection[rank];
                for (int d = 0; d < k; d++)
                {
                    long at = axes[d].Start + index[d] * axes[d].Step;
                    sel[d] = new Slice(at, at + 1);
                }
                long end = Math.Min(j + rows, axes[k].Count);
                sel[k] = Span(axes[k], j, end);
                for (int d = k + 1; d < rank; d++) sel[d] = Span(axes[d], 0, axes[d].Count);
                yield return new Selection(sel);
            }
            int a = k - 1;
            while (a >= 0 && ++index[a] == axes[a].Count)
            {
                index[a] = 0;
                a--;
            }
            if (a < 0) yield break;
        }
    }

    private static Slice Span(ResolvedAxis axis, long from, long to) =>
        new(axis.Start + from * axis.Step, axis.Start + (to - 1) * axis.Step + 1, axis.Step);

    /// <summary>
    /// Blocks of a whole array made of whole chunks of <paramref name="chunkShape"/> (cut at the array's edge):
    /// one chunk, grown along the last axes first (a row of chunks, then several rows) while the block stays within
    /// <paramref name="budget"/> bytes. In C order of the blocks.
    /// </summary>
    /// <param name="shape">The array shape.</param>
    /// <param name="chunkShape">The chunk shape.</param>
    /// <param name="elementBytes">The size of one element (an estimate for strings).</param>
    /// <param name="budget">The block size in bytes.</param>
    public static IEnumerable<Selection> AlignedToChunks(long[] shape, int[] chunkShape, long elementBytes, long budget)
    {
        int rank = shape.Length;
        if (shape.Any(s => s == 0)) yield break;
        if (rank == 0)
        {
            yield return Selection.All;
            yield break;
        }
        var block = new long[rank];
        for (int d = 0; d < rank; d++) block[d] = Math.Min(chunkShape[d], shape[d]);
        for (int d = rank - 1; d >= 0; d--)
        {
            long bytes = block.Aggregate(Math.Max(1, elementBytes), (a, b) => a * b);
            long chunksAlong = (shape[d] + chunkShape[d] - 1) / chunkShape[d];
            long times = Math.Clamp(budget / bytes, 1, chunksAlong);
            block[d] = Math.Min(shape[d], chunkShape[d] * times);
            if (times < chunksAlong) break;
        }
        var start = new long[rank];
        while (true)
        {
            var sel = new AxisSelection[rank];
            for (int d = 0; d < rank; d++) sel[d] = new Slice(start[d], Math.Min(start[d] + block[d], shape[d]));
            yield return new Selection(sel);
            int a = rank - 1;
            while (a >= 0 && (start[a] += block[a]) >= shape[a])
            {
                start[a] = 0;
                a--;
            }
            if (a < 0) yield break;
        }
    }
}
