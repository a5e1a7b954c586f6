using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// What numcodecs filters need of NumPy's type system: dtype strings in configurations, <c>np.promote_types</c>,
/// and the result type of an array combined with a Python scalar under NumPy 1.x value-based casting (the
/// rules numcodecs' arithmetic runs under in zarr-python 2).
/// </summary>
internal static class NumpyTypes
{
    /// <summary>Parses a dtype as numcodecs configurations write it: "&lt;i2", "|u1", "i4", "int32", "float64", "bool", "|O", "&lt;U5".</summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="field">The field, for messages.</param>
    public static ZarrDataType Parse(JsonNode? node, string codec, string field)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) throw new FormatException($"codec '{codec}': '{field}' must be a NumPy dtype string, got {node?.ToJsonString() ?? "nothing"}");
        var s = v.GetValue<string>();
        try
        {
            switch (s)
            {
                case "object": return ZarrDataType.String;
                case "?": return ZarrDataType.Bool;
            }
            if (s.Length > 0 && s[0] == '=') s = "<" + s[1..];
            if (s.Length > 0 && (s[0] is '<' or '>' or '|' || s.Length >= 1 && char.IsAsciiLetter(s[0]) && (s.Length == 1 || char.IsAsciiDigit(s[1]))))
                return ZarrDataType.ParseV2(JsonValue.Create(s), field);
            return ZarrDataType.ParseV3(JsonValue.Create(s), field);
        }
        catch (ZarrFormatException e)
        {
            throw new FormatException($"codec '{codec}': {field} '{v.GetValue<string>()}' is not a NumPy dtype this library supports", e);
        }
    }

    /// <summary>The dtype string numcodecs' get_config writes, in the given byte order.</summary>
    /// <param name="type">The type.</param>
    /// <param name="bigEndian">The byte order.</param>
    public static string ToV2String(ZarrDataType type, bool bigEndian) => type.WithByteOrder(bigEndian).ToV2String();

    /// <summary>The byte order a multi-byte type names, or null for single-byte types.</summary>
    /// <param name="type">The type.</param>
    public static bool? ByteOrderOf(ZarrDataType type) => type.IsFixedSize && type.SwapUnit > 1 ? type.BigEndian : null;

    /// <summary>True for bool, integer and float types: the ones NumPy arithmetic here covers.</summary>
    /// <param name="type">The type.</param>
    public static bool IsNumeric(ZarrDataType type) => type.Kind is DataTypeKind.Bool or DataTypeKind.Int or DataTypeKind.UInt or DataTypeKind.Float;

    /// <summary>Throws unless <paramref name="type"/> is numeric.</summary>
    /// <param name="type">The type.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="field">The field, for messages.</param>
    public static ZarrDataType RequireNumeric(ZarrDataType type, string codec, string field) =>
        IsNumeric(type) ? type : throw new FormatException($"codec '{codec}': {field} {type} is not supported (bool, integer and float types are)");

    private static ZarrDataType Of(DataTypeKind kind, int size) => (kind, size) switch
    {
        (DataTypeKind.Int, 1) => ZarrDataType.Int8,
        (DataTypeKind.Int, 2) => ZarrDataType.Int16,
        (DataTypeKind.Int, 4) => ZarrDataType.Int32,
        (DataTypeKind.Int, _) => ZarrDataType.Int64,
        (DataTypeKind.UInt, 1) => ZarrDataType.UInt8,
        (DataTypeKind.UInt, 2) => ZarrDataType.UInt16,
        (DataTypeKind.UInt, 4) => ZarrDataType.UInt32,
        (DataTypeKind.UInt, _) => ZarrDataType.UInt64,
        (DataTypeKind.Float, 2) => ZarrDataType.Float16,
        (DataTypeKind.Float, 4) => ZarrDataType.Float32,
        (DataTypeKind.Float, _) => ZarrDataType.Float64,
        _ => ZarrDataType.Bool,
    };

    /// <summary><c>np.promote_types</c> for numeric types (little-endian result).</summary>
    /// <param name="a">One type.</param>
    /// <param name="b">The other.</param>
    public static ZarrDataType Promote(ZarrDataType a, ZarrDataType b)
    {
        a = a.AsLittleEndian();
        b = b.AsLittleEndian();
        if (a.Kind == DataTypeKind.Bool) return b;
        if (b.Kind == DataTypeKind.Bool) return a;
        if (a.Kind == b.Kind) return a.ItemSize >= b.ItemSize ? a : b;
        if (a.Kind == DataTypeKind.Float || b.Kind == DataTypeKind.Float)
        {
            var (f, n) = a.Kind == DataTypeKind.Float ? (a, b) : (b, a);
            int need = n.ItemSize switch { 1 => 2, 2 => 4, _ => 8 };
            return Of(DataTypeKind.Float, Math.Max(f.ItemSize, need));
        }
        var (u, i) = a.Kind == DataTypeKind.UInt ? (a, b) : (b, a);
        if (i.ItemSize > u.ItemSize) return i;
        return u.ItemSize < 8 ? Of(DataTypeKind.Int, u.ItemSize * 2) : ZarrDataType.Float64;
    }

    /// <summary>
    /// The type of <c>array OP scalar</c> in NumPy 1.x: a scalar of a kind no higher than the array's counts by the
    /// smallest type that holds its value; a scalar of a higher kind by its full Python type (int64 or float64).
    /// </summary>
    /// <param name="array">The array's type.</param>
    /// <param name="scalar">The Python scalar.</param>
    public static ZarrDataType ResultType(ZarrDataType array, PyScalar scalar)
    {
        array = array.AsLittleEndian();
        if (scalar.IsInteger)
        {
            if (array.Kind == DataTypeKind.Bool) return ZarrDataType.Int64;
            var (min, smallUnsigned) = MinIntegerType(scalar.Integer);
            // NumPy treats a non-negative scalar that fits the signed type of its size as signed next to signed arrays.
            if (smallUnsigned && array.Kind == DataTypeKind.Int) min = Of(DataTypeKind.Int, min.ItemSize);
            return Promote(array, min);
        }
        if (array.Kind != DataTypeKind.Float) return ZarrDataType.Float64;
        double m = Math.Abs(scalar.Float);
        var minFloat = double.IsNaN(m) || double.IsInfinity(m) || m <= 65504 ? ZarrDataType.Float16 : m <= float.MaxValue ? ZarrDataType.Float32 : ZarrDataType.Float64;
        return Promote(array, minFloat);
    }

    /// <summary>The type of <c>array / scalar</c> (true division: integer inputs divide as float64).</summary>
    /// <param name="array">The array's type.</param>
    /// <param name="scalar">The Python scalar.</param>
    public static ZarrDataType TrueDivideType(ZarrDataType array, PyScalar scalar)
    {
        var r = ResultType(array, scalar);
        return r.Kind == DataTypeKind.Float ? r : ZarrDataType.Float64;
    }

    private static (ZarrDataType Type, bool SmallUnsigned) MinIntegerType(long v)
    {
        if (v >= 0)
        {
            if (v <= byte.MaxValue) return (ZarrDataType.UInt8, v <= sbyte.MaxValue);
            if (v <= ushort.MaxValue) return (ZarrDataType.UInt16, v <= short.MaxValue);
            if (v <= uint.MaxValue) return (ZarrDataType.UInt32, v <= int.MaxValue);
            return (ZarrDataType.UInt64, true);
        }
        if (v >= sbyte.MinValue) return (ZarrDataType.Int8, false);
        if (v >= short.MinValue) return (ZarrDataType.Int16, false);
        if (v >= int.MinValue) return (ZarrDataType.Int32, false);
        return (ZarrDataType.Int64, false);
    }
}
