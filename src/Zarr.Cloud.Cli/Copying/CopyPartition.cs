using System.Globalization;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>
/// The value of <c>copy --partition i/N</c>: this worker copies the <c>i</c>-th of <c>N</c> disjoint sets of the
/// destination's chunks (its shards, when sharded), so that <c>N</c> processes copy one array together.
/// </summary>
/// <remarks>
/// The set of partition <c>i</c> is a contiguous range of each array's chunks in C order of the destination grid,
/// <c>[floor(C*i/N), floor(C*(i+1)/N))</c> of the <c>C</c> chunks, so neighbouring target chunks (which often share
/// source chunks when rechunking) go to the same worker. The ranges of the <c>N</c> partitions are disjoint and cover
/// every chunk, whatever the array's shape: no target chunk is written by two workers, and an array with fewer chunks
/// than workers is copied by some of them only. The assignment depends only on the array's shape, its destination
/// chunk grid, <c>i</c> and <c>N</c>, never on timing or on <c>--block-bytes</c>.
/// </remarks>
internal sealed record CopyPartition(int Index, int Count)
{
    /// <summary>Parses <c>i/N</c> with 0 ≤ i &lt; N and N ≥ 1.</summary>
    /// <param name="text">The option's value.</param>
    /// <exception cref="UsageException">Not of that form, or out of range.</exception>
    public static CopyPartition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new UsageException($"bad --partition '{text}': use i/N with integers, e.g. 0/4 for the first of 4 workers");
        if (count < 1) throw new UsageException($"bad --partition '{text}': N must be at least 1, got {count}");
        if (index >= count) throw new UsageException($"bad --partition '{text}': i must be in 0..{count - 1} (0 ≤ i < N), got {index}");
        return new CopyPartition(index, count);
    }

    /// <summary>True for the worker that writes what is written once per copy (consolidated metadata).</summary>
    public bool IsFirst => Index == 0;

    /// <summary>The range of linear chunk indices (C order) of this partition among <paramref name="chunkCount"/> chunks.</summary>
    /// <param name="chunkCount">The number of chunks of the array.</param>
    public (long Start, long End) ChunkRange(long chunkCount) =>
        ((long)((Int128)chunkCount * Index / Count), (long)((Int128)chunkCount * (Index + 1) / Count));

    /// <summary>
    /// The blocks this partition copies: its chunks of the grid <paramref name="chunkShape"/> over
    /// <paramref name="shape"/>, as blocks of whole chunks of about <paramref name="budget"/> bytes (cut at the
    /// array's edge), as <see cref="ArrayBlocks.AlignedToChunks"/> makes them for a whole array.
    /// </summary>
    /// <param name="shape">The array shape.</param>
    /// <param name="chunkShape">The destination's chunk (or shard) shape.</param>
    /// <param name="elementBytes">The size of one element (an estimate for strings).</param>
    /// <param name="budget">The block size in bytes.</param>
    public IEnumerable<Selection> Blocks(long[] shape, int[] chunkShape, long elementBytes, long budget)
    {
        int rank = shape.Length;
        if (shape.Any(s => s == 0)) yield break;
        if (rank == 0)
        {
            if (ChunkRange(1) is (0, 1)) yield return Selection.All;
            yield break;
        }
        var grid = new long[rank];
        for (int d = 0; d < rank; d++) grid[d] = (shape[d] + chunkShape[d] - 1) / chunkShape[d];
        var (start, end) = ChunkRange(grid.Aggregate(1L, (a, b) => checked(a * b)));
        foreach (var (origin, extent) in Boxes(grid, start, end))
        {
            // The box in elements, cut at the array's edge; then split into budget-sized blocks of whole chunks.
            var boxShape = new long[rank];
            for (int d = 0; d < rank; d++)
                boxShape[d] = Math.Min(shape[d], (origin[d] + extent[d]) * chunkShape[d]) - origin[d] * chunkShape[d];
            foreach (var block in ArrayBlocks.AlignedToChunks(boxShape, chunkShape, elementBytes, budget))
            {
                var axes = new AxisSelection[rank];
                for (int d = 0; d < rank; d++)
                {
                    var s = block.Axes[d].Slice;
                    long offset = origin[d] * chunkShape[d];
                    axes[d] = new Slice(s.Start!.Value + offset, s.Stop!.Value + offset);
                }
                yield return new Selection(axes);
            }
        }
    }

    /// <summary>
    /// The chunks with linear indices <c>[start, end)</c> (C order) of a grid, as few boxes (origin and extent in
    /// chunks): a partial row at each end of the range and whole slabs between, at most two boxes per axis.
    /// </summary>
    /// <param name="grid">Chunks along each axis.</param>
    /// <param name="start">The first linear index.</param>
    /// <param name="end">One past the last.</param>
    public static IEnumerable<(long[] Origin, long[] Extent)> Boxes(long[] grid, long start, long end)
    {
        var boxes = new List<(long[], long[])>();
        if (start < end) Split(grid, 0, new long[grid.Length], start, end, boxes);
        return boxes;
    }

    /// <summary>Boxes of <c>[lo, hi)</c>, linear within the sub-grid of axes from <paramref name="axis"/> on, whose
    /// earlier axes are fixed at <paramref name="prefix"/>.</summary>
    private static void Split(long[] grid, int axis, long[] prefix, long lo, long hi, List<(long[], long[])> boxes)
    {
        int rank = grid.Length;
        long slab = 1; // chunks in one index step along this axis
        for (int d = axis + 1; d < rank; d++) slab *= grid[d];
        long first = lo / slab, last = (hi - 1) / slab; // the indices along this axis the range touches
        if (first == last && (lo % slab != 0 || hi - lo != slab))
        {
            // Inside one step along this axis, but not all of it: fix this axis and split further.
            var fixedHere = (long[])prefix.Clone();
            fixedHere[axis] = first;
            Split(grid, axis + 1, fixedHere, lo - first * slab, hi - first * slab, boxes);
            return;
        }
        long wholeFrom = first, wholeTo = last + 1; // steps along this axis covered whole
        if (lo % slab != 0)
        {
            var head = (long[])prefix.Clone();
            head[axis] = first;
            Split(grid, axis + 1, head, lo - first * slab, slab, boxes);
            wholeFrom = first + 1;
        }
        bool partialTail = hi % slab != 0;
        if (partialTail) wholeTo = last;
        if (wholeFrom < wholeTo)
        {
            var origin = (long[])prefix.Clone();
            var extent = new long[rank];
            for (int d = 0; d < axis; d++) extent[d] = 1;
            origin[axis] = wholeFrom;
            extent[axis] = wholeTo - wholeFrom;
            for (int d = axis + 1; d < rank; d++) extent[d] = grid[d];
            boxes.Add((origin, extent));
        }
        if (partialTail)
        {
            var tail = (long[])prefix.Clone();
            tail[axis] = last;
            Split(grid, axis + 1, tail, 0, hi - last * slab, boxes);
        }
    }
}
