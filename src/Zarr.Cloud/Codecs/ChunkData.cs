using System.Buffers.Binary;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// A decoded chunk: for fixed-size types, little-endian elements in C order in a pooled buffer;
/// for variable-length strings, an array of strings. Dispose to return the buffer to the pool.
/// </summary>
public sealed class ChunkData : IDisposable
{
    private ChunkData(PooledBuffer? bytes, string?[]? strings)
    {
        Bytes = bytes;
        Strings = strings;
    }

    /// <summary>The elements of a fixed-size type.</summary>
    public PooledBuffer? Bytes { get; private set; }

    /// <summary>The elements of a variable-length string type.</summary>
    public string?[]? Strings { get; }

    /// <summary>Wraps a buffer of fixed-size elements (owned by the result).</summary>
    /// <param name="bytes">The buffer.</param>
    public static ChunkData FromBytes(PooledBuffer bytes) => new(bytes, null);

    /// <summary>Wraps strings.</summary>
    /// <param name="strings">The strings.</param>
    public static ChunkData FromStrings(string?[] strings) => new(null, strings);

    /// <summary>A chunk every element of which is the fill value.</summary>
    /// <param name="spec">The chunk.</param>
    public static ChunkData Filled(ChunkSpec spec)
    {
        if (!spec.DataType.IsFixedSize)
        {
            var s = new string?[spec.ElementCount];
            Array.Fill(s, spec.FillValue.Text);
            return FromStrings(s);
        }
        var b = new PooledBuffer(spec.ByteLength);
        Fill(b.Span, spec.FillValue);
        return FromBytes(b);
    }

    /// <summary>Fills <paramref name="destination"/> with repeats of the fill value's bytes.</summary>
    /// <param name="destination">Whole elements.</param>
    /// <param name="fill">The fill value.</param>
    public static void Fill(Span<byte> destination, FillValue fill)
    {
        var pattern = fill.Bytes;
        if (pattern.Length == 0 || fill.IsZero) { destination.Clear(); return; }
        if (pattern.Length == 1) { destination.Fill(pattern[0]); return; }
        if (destination.Length < pattern.Length) return;
        pattern.CopyTo(destination);
        int filled = pattern.Length;
        while (filled < destination.Length)
        {
            int n = Math.Min(filled, destination.Length - filled);
            destination[..n].CopyTo(destination[filled..]);
            filled += n;
        }
    }

    /// <summary>True when every element equals the fill value.</summary>
    /// <param name="spec">The chunk's description.</param>
    public bool IsAllFill(ChunkSpec spec)
    {
        var fill = spec.FillValue;
        if (Strings is not null) return Strings.All(s => s == fill.Text);
        var span = Bytes!.Span;
        var pattern = fill.Bytes;
        if (fill.IsZero) return span.IndexOfAnyExcept((byte)0) < 0;
        if (FloatUnit(spec.DataType) is int unit and > 0 && ContainsNaN(pattern, unit)) return IsAllFillNaNAware(span, pattern, unit);
        if (pattern.Length == 1) return span.IndexOfAnyExcept(pattern[0]) < 0;
        for (int i = 0; i + pattern.Length <= span.Length; i += pattern.Length)
            if (!span.Slice(i, pattern.Length).SequenceEqual(pattern)) return false;
        return true;
    }

    // Floats (or complex parts) of the type, or 0 for other types.
    private static int FloatUnit(ZarrDataType t) => t.Kind switch
    {
        DataTypeKind.Float => t.ItemSize,
        DataTypeKind.Complex => t.ItemSize / 2,
        _ => 0,
    };

    private static bool IsNaN(ReadOnlySpan<byte> b) => b.Length switch
    {
        2 => Half.IsNaN(BinaryPrimitives.ReadHalfLittleEndian(b)),
        4 => float.IsNaN(BinaryPrimitives.ReadSingleLittleEndian(b)),
        _ => double.IsNaN(BinaryPrimitives.ReadDoubleLittleEndian(b)),
    };

    private static bool ContainsNaN(ReadOnlySpan<byte> pattern, int unit)
    {
        for (int o = 0; o + unit <= pattern.Length; o += unit) if (IsNaN(pattern.Slice(o, unit))) return true;
        return false;
    }

    /// <summary>As zarr-python does (equal_nan): a NaN fill value matches every NaN, whatever its bits.</summary>
    private static bool IsAllFillNaNAware(ReadOnlySpan<byte> span, ReadOnlySpan<byte> pattern, int unit)
    {
        for (int i = 0; i + pattern.Length <= span.Length; i += pattern.Length)
            for (int o = 0; o < pattern.Length; o += unit)
            {
                var a = span.Slice(i + o, unit);
                var f = pattern.Slice(o, unit);
                if (!a.SequenceEqual(f) && !(IsNaN(f) && IsNaN(a))) return false;
            }
        return true;
    }

    /// <summary>Takes the buffer out (the chunk no longer owns it).</summary>
    public PooledBuffer DetachBytes()
    {
        var b = Bytes ?? throw new InvalidOperationException("The chunk holds strings, not bytes.");
        Bytes = null;
        return b;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Bytes?.Dispose();
        Bytes = null;
    }
}
