namespace Zarr.Cloud.Tests.Support;

/// <summary>Brute-force selection and assignment on a dense C-order array: the reference array tests compare with.</summary>
public static class Reference
{
    /// <summary>Every index tuple of a selection, in C order of the output, with its flat offset in the full array.</summary>
    public static IEnumerable<long> Offsets(long[] shape, ResolvedAxis[] selection)
    {
        int rank = shape.Length;
        if (selection.Any(s => s.Count == 0)) yield break;
        var k = new long[rank];
        while (true)
        {
            long offset = 0;
            for (int d = 0; d < rank; d++) offset = offset * shape[d] + selection[d].Start + k[d] * selection[d].Step;
            yield return offset;
            int a = rank - 1;
            while (a >= 0 && ++k[a] == selection[a].Count) k[a--] = 0;
            if (a < 0) yield break;
        }
    }

    public static T[] Select<T>(T[] full, long[] shape, ResolvedAxis[] selection) => Offsets(shape, selection).Select(o => full[o]).ToArray();

    public static void Assign<T>(T[] full, long[] shape, ResolvedAxis[] selection, T[] values)
    {
        int i = 0;
        foreach (var o in Offsets(shape, selection)) full[o] = values[i++];
        Assert.Equal(values.Length, i);
    }

    /// <summary>The shape a selection reads into (integer indices dropped).</summary>
    public static int[] SqueezedShape(ResolvedAxis[] selection) => selection.Where(s => !s.Squeeze).Select(s => (int)s.Count).ToArray();

    public static long Product(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>A random selection: per axis a stepped slice (possibly empty or negative-bounded) or an index.</summary>
    public static Selection RandomSelection(Random rng, long[] shape, bool allowEmpty = true)
    {
        var axes = new AxisSelection[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            int n = (int)shape[d];
            if (n > 0 && rng.Next(6) == 0) { axes[d] = rng.Next(2) == 0 ? AxisSelection.At(rng.Next(n)) : AxisSelection.At(-1 - rng.Next(n)); continue; }
            long? start = rng.Next(3) == 0 ? null : rng.Next(-n, n + 1);
            long? stop = rng.Next(3) == 0 ? null : rng.Next(-n, n + 2);
            if (!allowEmpty && n > 0) { start = rng.Next(n); stop = null; }
            axes[d] = new Slice(start, stop, rng.Next(1, 5));
        }
        return new Selection(axes);
    }
}
