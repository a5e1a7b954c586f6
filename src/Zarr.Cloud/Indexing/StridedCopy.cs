namespace Zarr.Cloud.Indexing;

/// <summary>
/// Copies rectangular, possibly strided, regions between C-order buffers. Elements are <c>width</c>
/// consecutive items of T (bytes of one element for fixed-size types, 1 for strings); contiguous runs are
/// copied with <see cref="Span{T}.CopyTo"/>.
/// </summary>
internal static class StridedCopy
{
    /// <summary>C-order strides, in elements.</summary>
    public static long[] Strides(int[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>Copies a region of <paramref name="count"/> elements per axis from src (start, step) to dst (start, step 1).</summary>
    public static void CopyRegion<T>(
        ReadOnlySpan<T> src, int[] srcShape, ReadOnlySpan<int> srcStart, ReadOnlySpan<int> srcStep,
        Span<T> dst, int[] dstShape, ReadOnlySpan<int> dstStart,
        ReadOnlySpan<int> count, int width)
        => Copy(src, srcShape, srcStart, srcStep, dst, dstShape, dstStart, Ones(count.Length), count, width);

    /// <summary>Copies dst region (start, step 1) back into src region (start, step): the inverse of <see cref="CopyRegion"/>, for writes.</summary>
    public static void ScatterRegion<T>(
        ReadOnlySpan<T> src, int[] srcShape, ReadOnlySpan<int> srcStart,
        Span<T> dst, int[] dstShape, ReadOnlySpan<int> dstStart, ReadOnlySpan<int> dstStep,
        ReadOnlySpan<int> count, int width)
        => Copy(src, srcShape, srcStart, Ones(count.Length), dst, dstShape, dstStart, dstStep, count, width);

    private static ReadOnlySpan<int> Ones(int rank)
    {
        var ones = new int[rank];
        Array.Fill(ones, 1);
        return ones;
    }

    /// <summary>
    /// Copies a region of <paramref name="count"/> elements per axis from src (start, step) to dst (start, step).
    /// Trailing axes that are whole and unit-stepped in both buffers merge into one contiguous run.
    /// </summary>
    public static void Copy<T>(
        ReadOnlySpan<T> src, int[] srcShape, ReadOnlySpan<int> srcStart, ReadOnlySpan<int> srcStep,
        Span<T> dst, int[] dstShape, ReadOnlySpan<int> dstStart, ReadOnlySpan<int> dstStep,
        ReadOnlySpan<int> count, int width)
    {
        int rank = count.Length;
        for (int d = 0; d < rank; d++) if (count[d] == 0) return;
        if (rank == 0) { src[..width].CopyTo(dst); return; }
        var ss = Strides(srcShape);
        var ds = Strides(dstShape);
        int inner = rank - 1;
        long run = count[inner];
        bool contiguous = srcStep[inner] == 1 && dstStep[inner] == 1;
        if (contiguous)
        {
            while (inner > 0 && count[inner] == srcShape[inner] && count[inner] == dstShape[inner]
                && srcStep[inner - 1] == 1 && dstStep[inner - 1] == 1 && srcStart[inner] == 0 && dstStart[inner] == 0)
            {
                inner--;
                run *= count[inner];
            }
        }
        long srcBase = 0, dstBase = 0;
        for (int d = 0; d < rank; d++) { srcBase += srcStart[d] * ss[d]; dstBase += dstStart[d] * ds[d]; }
        Span<int> idx = stackalloc int[rank];
        while (true)
        {
            long so = srcBase, dO = dstBase;
            for (int d = 0; d < inner; d++) { so += (long)idx[d] * srcStep[d] * ss[d]; dO += (long)idx[d] * dstStep[d] * ds[d]; }
            if (contiguous)
            {
                src.Slice((int)(so * width), (int)(run * width)).CopyTo(dst.Slice((int)(dO * width), (int)(run * width)));
            }
            else
            {
                long sStep = (long)srcStep[inner] * ss[inner] * width, dStep = (long)dstStep[inner] * ds[inner] * width;
                long s = so * width, t = dO * width;
                int n = count[inner];
                if (width == 1) for (int i = 0; i < n; i++) { dst[(int)t] = src[(int)s]; s += sStep; t += dStep; }
                else for (int i = 0; i < n; i++) { src.Slice((int)s, width).CopyTo(dst.Slice((int)t, width)); s += sStep; t += dStep; }
            }
            int k = inner - 1;
            while (k >= 0)
            {
                if (++idx[k] < count[k]) break;
                idx[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
    }

    /// <summary>Fills a region of dst with repeats of <paramref name="pattern"/> (one element).</summary>
    public static void FillRegion<T>(ReadOnlySpan<T> pattern, Span<T> dst, int[] dstShape, ReadOnlySpan<int> dstStart, ReadOnlySpan<int> count)
    {
        int rank = count.Length;
        int width = pattern.Length;
        for (int d = 0; d < rank; d++) if (count[d] == 0) return;
        if (rank == 0) { pattern.CopyTo(dst); return; }
        var ds = Strides(dstShape);
        int inner = rank - 1;
        long run = count[inner];
        while (inner > 0 && count[inner] == dstShape[inner] && dstStart[inner] == 0) { inner--; run *= count[inner]; }
        long dstBase = 0;
        for (int d = 0; d < rank; d++) dstBase += dstStart[d] * ds[d];
        Span<int> idx = stackalloc int[rank];
        while (true)
        {
            long dO = dstBase;
            for (int d = 0; d < inner; d++) dO += idx[d] * ds[d];
            var target = dst.Slice((int)(dO * width), (int)(run * width));
            if (width == 1) target.Fill(pattern[0]);
            else for (int o = 0; o < target.Length; o += width) pattern.CopyTo(target[o..]);
            int k = inner - 1;
            while (k >= 0)
            {
                if (++idx[k] < count[k]) break;
                idx[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
    }

    /// <summary>Writes into contiguous dst (shape <paramref name="resultShape"/>) the elements of src at the given per-axis strides.</summary>
    public static void Gather<T>(ReadOnlySpan<T> src, long[] srcStrides, Span<T> dst, int[] resultShape, int width)
    {
        int rank = resultShape.Length;
        foreach (var s in resultShape) if (s == 0) return;
        if (rank == 0) { src[..width].CopyTo(dst); return; }
        Span<int> idx = stackalloc int[rank];
        int inner = rank - 1;
        int n = resultShape[inner];
        long innerStride = srcStrides[inner] * width;
        int t = 0;
        while (true)
        {
            long so = 0;
            for (int d = 0; d < inner; d++) so += idx[d] * srcStrides[d];
            long s = so * width;
            if (innerStride == width) { src.Slice((int)s, n * width).CopyTo(dst.Slice(t, n * width)); t += n * width; }
            else if (width == 1) for (int i = 0; i < n; i++) { dst[t++] = src[(int)s]; s += innerStride; }
            else for (int i = 0; i < n; i++) { src.Slice((int)s, width).CopyTo(dst.Slice(t, width)); s += innerStride; t += width; }
            int k = inner - 1;
            while (k >= 0)
            {
                if (++idx[k] < resultShape[k]) break;
                idx[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
    }
}
