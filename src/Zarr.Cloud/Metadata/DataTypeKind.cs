namespace Zarr.Cloud.Metadata;

/// <summary>The family of a <see cref="ZarrDataType"/>.</summary>
public enum DataTypeKind
{
    /// <summary>bool (one byte, 0 or 1); read as <see cref="bool"/>.</summary>
    Bool,
    /// <summary>Signed integers int8..int64; read as sbyte, short, int, long.</summary>
    Int,
    /// <summary>Unsigned integers uint8..uint64; read as byte, ushort, uint, ulong.</summary>
    UInt,
    /// <summary>float16, float32, float64; read as <see cref="Half"/>, float, double.</summary>
    Float,
    /// <summary>complex64, complex128; read as <see cref="Arrays.Complex64"/> and <see cref="System.Numerics.Complex"/>.</summary>
    Complex,
    /// <summary>NumPy datetime64 with a unit; read as <see cref="long"/> counts of the unit since 1970 (NaT is long.MinValue).</summary>
    DateTime64,
    /// <summary>NumPy timedelta64 with a unit; read as <see cref="long"/> counts of the unit.</summary>
    TimeDelta64,
    /// <summary>Fixed-length bytes (NumPy <c>|S n</c>); read as <c>byte[]</c> without trailing NULs.</summary>
    FixedBytes,
    /// <summary>Fixed-length UTF-32 text (NumPy <c>&lt;U n</c>); read as <see cref="string"/>.</summary>
    FixedUnicode,
    /// <summary>Variable-length UTF-8 text (v2 object with vlen-utf8, v3 <c>string</c>); read as <see cref="string"/>.</summary>
    String,
}
