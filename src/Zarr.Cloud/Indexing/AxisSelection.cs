namespace Zarr.Cloud.Indexing;

/// <summary>
/// What to read along one axis: an integer index (the axis is dropped from the result), a C# <see cref="Index"/>
/// or <see cref="Range"/> (<c>^5</c>, <c>0..10</c>, <c>^100..</c>), or a <see cref="Slice"/> with a step.
/// Converts implicitly from all of them.
/// </summary>
public readonly struct AxisSelection : IEquatable<AxisSelection>
{
    private AxisSelection(bool isIndex, long index, bool fromEnd, Slice slice)
    {
        IsIndex = isIndex;
        IndexValue = index;
        IndexFromEnd = fromEnd;
        Slice = slice;
    }

    /// <summary>True for a single index (the axis is squeezed).</summary>
    public bool IsIndex { get; }

    /// <summary>The index (when <see cref="IsIndex"/>); negative counts from the end.</summary>
    public long IndexValue { get; }

    /// <summary>True when the index came from <c>^n</c>.</summary>
    public bool IndexFromEnd { get; }

    /// <summary>The slice (when not <see cref="IsIndex"/>).</summary>
    public Slice Slice { get; }

    /// <summary>The whole axis.</summary>
    public static AxisSelection All => new(false, 0, false, Slice.All);

    /// <summary>One index; negative counts from the end.</summary>
    /// <param name="index">The index.</param>
    public static AxisSelection At(long index) => new(true, index, false, default);

    /// <summary>A slice.</summary>
    /// <param name="slice">The slice.</param>
    public static AxisSelection Of(Slice slice)
    {
        if (slice.Step < 1) throw new ArgumentOutOfRangeException(nameof(slice), slice.Step, "The step of a slice must be positive.");
        return new(false, 0, false, slice);
    }

    /// <summary>An integer index.</summary>
    /// <param name="index">The index.</param>
    public static implicit operator AxisSelection(int index) => At(index);

    /// <summary>An integer index.</summary>
    /// <param name="index">The index.</param>
    public static implicit operator AxisSelection(long index) => At(index);

    /// <summary>A C# index (<c>^1</c> is the last).</summary>
    /// <param name="index">The index.</param>
    public static implicit operator AxisSelection(Index index) => index.IsFromEnd ? new(true, -index.Value, true, default) : At(index.Value);

    /// <summary>A C# range.</summary>
    /// <param name="range">The range.</param>
    public static implicit operator AxisSelection(Range range)
    {
        long? start = range.Start.IsFromEnd ? -(long)range.Start.Value : range.Start.Value;
        long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -(long)range.End.Value) : range.End.Value;
        if (range.Start.IsFromEnd && range.Start.Value == 0) start = long.MaxValue; // ^0.. is empty
        return new(false, 0, false, new Slice(start, stop, 1));
    }

    /// <summary>A slice.</summary>
    /// <param name="slice">The slice.</param>
    public static implicit operator AxisSelection(Slice slice) => Of(slice);

    /// <summary>Resolves against an axis of <paramref name="length"/>.</summary>
    /// <param name="length">The axis length.</param>
    /// <param name="axis">The axis number, for messages.</param>
    public ResolvedAxis Resolve(long length, int axis)
    {
        if (IsIndex)
        {
            long i = IndexValue < 0 || IndexFromEnd ? length + IndexValue : IndexValue;
            if (IndexFromEnd && IndexValue == 0) i = length;
            if (i < 0 || i >= length) throw new ArgumentOutOfRangeException(nameof(axis), $"Index {(IndexFromEnd ? "^" + (-IndexValue) : IndexValue.ToString(System.Globalization.CultureInfo.InvariantCulture))} is out of bounds for axis {axis} of length {length}.");
            return new ResolvedAxis(i, 1, 1, true);
        }
        var s = Slice;
        if (s.Step < 1) throw new ArgumentOutOfRangeException(nameof(axis), $"The step {s.Step} of axis {axis} must be positive.");
        long start = s.Start is { } a ? (a < 0 ? Math.Max(0, length + a) : Math.Min(a, length)) : 0;
        long stop = s.Stop is { } b ? (b < 0 ? Math.Max(0, length + b) : Math.Min(b, length)) : length;
        long count = stop > start ? (stop - start + s.Step - 1) / s.Step : 0;
        return new ResolvedAxis(start, s.Step, count, false);
    }

    /// <inheritdoc />
    public bool Equals(AxisSelection other) => IsIndex == other.IsIndex && IndexValue == other.IndexValue && IndexFromEnd == other.IndexFromEnd && Slice == other.Slice;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AxisSelection o && Equals(o);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsIndex, IndexValue, IndexFromEnd, Slice);

    /// <summary>Equality.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    public static bool operator ==(AxisSelection left, AxisSelection right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    public static bool operator !=(AxisSelection left, AxisSelection right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsIndex ? (IndexFromEnd ? $"^{-IndexValue}" : IndexValue.ToString(System.Globalization.CultureInfo.InvariantCulture)) : Slice.ToString();
}

/// <summary>One axis of a selection resolved against the array's shape.</summary>
/// <param name="Start">The first index.</param>
/// <param name="Step">The step.</param>
/// <param name="Count">How many indices.</param>
/// <param name="Squeeze">True when the axis is dropped from the result (an integer index).</param>
public readonly record struct ResolvedAxis(long Start, long Step, long Count, bool Squeeze);
