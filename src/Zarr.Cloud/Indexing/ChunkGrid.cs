namespace Zarr.Cloud.Indexing;

/// <summary>A regular grid of chunks over an array: which chunks a selection touches, and where.</summary>
public sealed class ChunkGrid
{
    /// <summary>Creates the grid.</summary>
    /// <param name="shape">The array shape.</param>
    /// <param name="chunkShape">The chunk shape.</param>
    public ChunkGrid(long[] shape, int[] chunkShape)
    {
        if (shape.Length != chunkShape.Length) throw new ArgumentException("The shape and the chunk shape differ in rank.");
        Shape = shape;
        ChunkShape = chunkShape;
        GridShape = shape.Select((s, d) => (s + chunkShape[d] - 1) / chunkShape[d]).ToArray();
    }

    /// <summary>The array shape.</summary>
    public long[] Shape { get; }

    /// <summary>The chunk shape.</summary>
    public int[] ChunkShape { get; }

    /// <summary>Chunks per axis.</summary>
    public long[] GridShape { get; }

    /// <summary>The number of chunks in the grid.</summary>
    public long ChunkCount => GridShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Per axis, the chunks a resolved selection touches and the parts of each.</summary>
    /// <param name="selection">The selection, resolved against <see cref="Shape"/>.</param>
    public AxisChunk[][] ProjectAxes(ResolvedAxis[] selection)
    {
        var result = new AxisChunk[Shape.Length][];
        for (int d = 0; d < Shape.Length; d++)
        {
            var sel = selection[d];
            var list = new List<AxisChunk>();
            if (sel.Count > 0)
            {
                long c = ChunkShape[d];
                long last = sel.Start + (sel.Count - 1) * sel.Step;
                for (long k = sel.Start / c; k <= last / c; k++)
                {
                    long chunkStart = k * c;
                    long first = sel.Start >= chunkStart ? sel.Start : sel.Start + ((chunkStart - sel.Start + sel.Step - 1) / sel.Step) * sel.Step;
                    long lastInChunk = Math.Min(chunkStart + c - 1, last);
                    if (first > lastInChunk) continue;
                    long count = (lastInChunk - first) / sel.Step + 1;
                    list.Add(new AxisChunk(k, (int)(first - chunkStart), (int)sel.Step, (int)count, (first - sel.Start) / sel.Step));
                }
            }
            result[d] = list.ToArray();
        }
        return result;
    }

    /// <summary>How many chunks a resolved selection touches.</summary>
    /// <param name="selection">The selection, resolved against <see cref="Shape"/>.</param>
    public long CountChunks(ResolvedAxis[] selection) => ProjectAxes(selection).Aggregate(1L, (a, x) => a * x.Length);

    /// <summary>Every chunk a resolved selection touches, in C order of chunk coordinates.</summary>
    /// <param name="selection">The selection, resolved against <see cref="Shape"/>.</param>
    public IEnumerable<ChunkProjection> Project(ResolvedAxis[] selection)
    {
        var axes = ProjectAxes(selection);
        int rank = axes.Length;
        if (axes.Any(a => a.Length == 0)) yield break;
        var idx = new int[rank];
        while (true)
        {
            var parts = new AxisChunk[rank];
            for (int d = 0; d < rank; d++) parts[d] = axes[d][idx[d]];
            yield return new ChunkProjection(parts, this);
            int k = rank - 1;
            while (k >= 0)
            {
                if (++idx[k] < axes[k].Length) break;
                idx[k] = 0;
                k--;
            }
            if (k < 0) yield break;
        }
    }
}

/// <summary>The part of one chunk along one axis that a selection takes.</summary>
/// <param name="ChunkIndex">The chunk's coordinate along the axis.</param>
/// <param name="Start">The first index inside the chunk.</param>
/// <param name="Step">The step inside the chunk.</param>
/// <param name="Count">How many indices.</param>
/// <param name="OutputStart">Where they go along the output axis.</param>
public readonly record struct AxisChunk(long ChunkIndex, int Start, int Step, int Count, long OutputStart);

/// <summary>One chunk a selection touches: its coordinates, the region inside it, and where that region goes in the output.</summary>
public sealed class ChunkProjection
{
    internal ChunkProjection(AxisChunk[] axes, ChunkGrid grid)
    {
        Axes = axes;
        Coordinates = axes.Select(a => a.ChunkIndex).ToArray();
        Grid = grid;
    }

    /// <summary>Per axis, the part taken.</summary>
    public AxisChunk[] Axes { get; }

    /// <summary>The chunk coordinates.</summary>
    public long[] Coordinates { get; }

    /// <summary>The number of elements in the region.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var a in Axes) n *= a.Count;
            return n;
        }
    }

    private ChunkGrid Grid { get; }

    /// <summary>True when the region is the whole chunk (every element of the stored chunk, including any padding past the array's end).</summary>
    public bool CoversWholeChunk
    {
        get
        {
            for (int d = 0; d < Axes.Length; d++)
                if (Axes[d].Start != 0 || Axes[d].Count != Grid.ChunkShape[d] || (Axes[d].Step != 1 && Grid.ChunkShape[d] > 1)) return false;
            return true;
        }
    }

    /// <summary>True when the region is every element of the chunk that lies inside the array (padding aside).</summary>
    public bool CoversChunkInsideArray
    {
        get
        {
            for (int d = 0; d < Axes.Length; d++)
            {
                long inside = Math.Min(Grid.ChunkShape[d], Grid.Shape[d] - Axes[d].ChunkIndex * Grid.ChunkShape[d]);
                if (Axes[d].Start != 0 || Axes[d].Count != inside || (Axes[d].Step != 1 && inside > 1)) return false;
            }
            return true;
        }
    }
}
