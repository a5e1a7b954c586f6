namespace Zarr.Cloud.Storage;

/// <summary>
/// Plans the requests for several ranges of one value: ranges closer than a gap are merged into one request,
/// merged requests are capped in size. A pure function; <see cref="StoreExtensions.GetRangesCoalescedAsync"/> runs the plan.
/// </summary>
public static class RangeCoalescer
{
    /// <summary>One request of a plan and the ranges it serves.</summary>
    /// <param name="Offset">The first byte requested.</param>
    /// <param name="Length">The number of bytes requested.</param>
    /// <param name="Members">Indices into the planned ranges that this request serves.</param>
    public sealed record Request(long Offset, long Length, IReadOnlyList<int> Members)
    {
        /// <summary>The request as a byte range.</summary>
        public ByteRange Range => ByteRange.Bounded(Offset, Length);
    }

    /// <summary>
    /// Merges bounded ranges closer than <paramref name="maxGap"/> bytes (a gap of 0 merges only touching or
    /// overlapping ranges) into requests of at most <paramref name="maxMergedBytes"/> bytes (a single range longer
    /// than the cap is requested alone). Ranges that are not bounded (whole value, from an offset, suffix) are
    /// requested alone. Returns the requests in offset order.
    /// </summary>
    /// <param name="ranges">The ranges wanted.</param>
    /// <param name="maxGap">The largest gap bridged, in bytes.</param>
    /// <param name="maxMergedBytes">The largest merged request, in bytes.</param>
    public static IReadOnlyList<Request> Plan(IReadOnlyList<ByteRange> ranges, long maxGap, long maxMergedBytes)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMergedBytes);
        var result = new List<Request>();
        var bounded = new List<int>();
        for (int i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Kind == ByteRangeKind.Bounded) bounded.Add(i);
            else result.Add(new Request(-1, -1, [i]));
        }
        bounded.Sort((a, b) => ranges[a].Offset != ranges[b].Offset ? ranges[a].Offset.CompareTo(ranges[b].Offset) : ranges[a].Length.CompareTo(ranges[b].Length));
        long start = 0, end = 0;
        List<int>? members = null;
        foreach (var i in bounded)
        {
            var r = ranges[i];
            long rEnd = r.Offset + r.Length;
            if (members is not null && r.Offset <= end + maxGap && Math.Max(end, rEnd) - start <= maxMergedBytes)
            {
                members.Add(i);
                end = Math.Max(end, rEnd);
                continue;
            }
            if (members is not null) result.Add(new Request(start, end - start, members));
            members = [i];
            start = r.Offset;
            end = rEnd;
        }
        if (members is not null) result.Add(new Request(start, end - start, members));
        return result;
    }
}
