namespace Zarr.Cloud.Storage;

/// <summary>The kind of a <see cref="ByteRange"/>.</summary>
public enum ByteRangeKind
{
    /// <summary>The whole value.</summary>
    All = 0,
    /// <summary><c>[Offset, Offset + Length)</c>.</summary>
    Bounded = 1,
    /// <summary>From <c>Offset</c> to the end of the value.</summary>
    FromOffset = 2,
    /// <summary>The last <c>Length</c> bytes of the value.</summary>
    Suffix = 3,
}

/// <summary>
/// A request for part of a stored value: all of it, a bounded range, everything from an offset,
/// or the last N bytes (a suffix, which is how a shard index is read in one request).
/// </summary>
public readonly record struct ByteRange
{
    private ByteRange(ByteRangeKind kind, long offset, long length)
    {
        Kind = kind;
        Offset = offset;
        Length = length;
    }

    /// <summary>The kind of range.</summary>
    public ByteRangeKind Kind { get; }

    /// <summary>The first byte, for <see cref="ByteRangeKind.Bounded"/> and <see cref="ByteRangeKind.FromOffset"/>.</summary>
    public long Offset { get; }

    /// <summary>The number of bytes, for <see cref="ByteRangeKind.Bounded"/> and <see cref="ByteRangeKind.Suffix"/>.</summary>
    public long Length { get; }

    /// <summary>The whole value (also <c>default</c>).</summary>
    public static ByteRange All => default;

    /// <summary>True when this is the whole value.</summary>
    public bool IsAll => Kind == ByteRangeKind.All;

    /// <summary><paramref name="length"/> bytes starting at <paramref name="offset"/>.</summary>
    /// <param name="offset">The first byte, zero or more.</param>
    /// <param name="length">The number of bytes, zero or more.</param>
    public static ByteRange Bounded(long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ByteRange(ByteRangeKind.Bounded, offset, length);
    }

    /// <summary>Everything from <paramref name="offset"/> to the end.</summary>
    /// <param name="offset">The first byte, zero or more.</param>
    public static ByteRange FromOffset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new ByteRange(ByteRangeKind.FromOffset, offset, 0);
    }

    /// <summary>The last <paramref name="length"/> bytes (all of the value when it is shorter).</summary>
    /// <param name="length">The number of bytes, zero or more.</param>
    public static ByteRange Suffix(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ByteRange(ByteRangeKind.Suffix, 0, length);
    }

    /// <summary>
    /// Resolves this range against a value of <paramref name="totalLength"/> bytes, clamping the end
    /// as HTTP does. Returns false when a non-empty bounded or from-offset range starts at or past the end
    /// (HTTP's 416); a suffix longer than the value is the whole value.
    /// </summary>
    /// <param name="totalLength">The size of the whole value.</param>
    /// <param name="start">The first byte of the result.</param>
    /// <param name="length">The number of bytes of the result.</param>
    public bool TryResolve(long totalLength, out long start, out long length)
    {
        switch (Kind)
        {
            case ByteRangeKind.All:
                start = 0; length = totalLength; return true;
            case ByteRangeKind.Bounded:
                start = Offset;
                if (Length == 0) { length = 0; return Offset <= totalLength; }
                if (Offset >= totalLength) { length = 0; return false; }
                length = Math.Min(Length, totalLength - Offset);
                return true;
            case ByteRangeKind.FromOffset:
                start = Offset;
                if (Offset > totalLength || (Offset == totalLength && totalLength > 0)) { length = 0; return false; }
                length = totalLength - Offset;
                return true;
            default:
                length = Math.Min(Length, totalLength);
                start = totalLength - length;
                return true;
        }
    }

    /// <summary>The HTTP <c>Range</c> header value for this range, or null for the whole value.</summary>
    public string? ToHttpHeaderValue() => Kind switch
    {
        ByteRangeKind.All => null,
        ByteRangeKind.Bounded => Length == 0 ? null : $"bytes={Offset}-{Offset + Length - 1}",
        ByteRangeKind.FromOffset => $"bytes={Offset}-",
        _ => $"bytes=-{Length}",
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ByteRangeKind.All => "all",
        ByteRangeKind.Bounded => $"[{Offset}, {Offset + Length})",
        ByteRangeKind.FromOffset => $"[{Offset}, end)",
        _ => $"last {Length}",
    };
}
