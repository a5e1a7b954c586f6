using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Metadata;

/// <summary>Reads and writes single elements in the little-endian layout of decoded chunks.</summary>
internal static class ElementCodec
{
    // Each arm is boxed on its own: a switch expression of numbers would widen them all to long, ulong or double.
    public static object ReadScalar(ZarrDataType t, ReadOnlySpan<byte> b) => t.Kind switch
    {
        DataTypeKind.Bool => b[0] != 0,
        DataTypeKind.Int => t.ItemSize switch
        {
            1 => (object)(sbyte)b[0],
            2 => (object)BinaryPrimitives.ReadInt16LittleEndian(b),
            4 => (object)BinaryPrimitives.ReadInt32LittleEndian(b),
            _ => (object)BinaryPrimitives.ReadInt64LittleEndian(b),
        },
        DataTypeKind.UInt => t.ItemSize switch
        {
            1 => (object)b[0],
            2 => (object)BinaryPrimitives.ReadUInt16LittleEndian(b),
            4 => (object)BinaryPrimitives.ReadUInt32LittleEndian(b),
            _ => (object)BinaryPrimitives.ReadUInt64LittleEndian(b),
        },
        DataTypeKind.Float => t.ItemSize switch
        {
            2 => (object)BinaryPrimitives.ReadHalfLittleEndian(b),
            4 => (object)BinaryPrimitives.ReadSingleLittleEndian(b),
            _ => (object)BinaryPrimitives.ReadDoubleLittleEndian(b),
        },
        DataTypeKind.Complex => t.ItemSize == 8
            ? new Complex64(BinaryPrimitives.ReadSingleLittleEndian(b), BinaryPrimitives.ReadSingleLittleEndian(b[4..]))
            : new Complex(BinaryPrimitives.ReadDoubleLittleEndian(b), BinaryPrimitives.ReadDoubleLittleEndian(b[8..])),
        DataTypeKind.DateTime64 or DataTypeKind.TimeDelta64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        _ => throw new NotSupportedException($"{t} is not a scalar type"),
    };

    public static void WriteScalar(ZarrDataType t, object value, Span<byte> b)
    {
        var ci = CultureInfo.InvariantCulture;
        switch (t.Kind)
        {
            case DataTypeKind.Bool: b[0] = Convert.ToBoolean(value, ci) ? (byte)1 : (byte)0; break;
            case DataTypeKind.Int:
            case DataTypeKind.DateTime64:
            case DataTypeKind.TimeDelta64:
                long l = value is double or float or Half or decimal ? checked((long)Convert.ToDouble(value, ci)) : Convert.ToInt64(value, ci);
                switch (t.ItemSize)
                {
                    case 1: b[0] = (byte)checked((sbyte)l); break;
                    case 2: BinaryPrimitives.WriteInt16LittleEndian(b, checked((short)l)); break;
                    case 4: BinaryPrimitives.WriteInt32LittleEndian(b, checked((int)l)); break;
                    default: BinaryPrimitives.WriteInt64LittleEndian(b, l); break;
                }
                break;
            case DataTypeKind.UInt:
                ulong u = value is double or float or Half or decimal ? checked((ulong)Convert.ToDouble(value, ci)) : Convert.ToUInt64(value, ci);
                switch (t.ItemSize)
                {
                    case 1: b[0] = checked((byte)u); break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(b, checked((ushort)u)); break;
                    case 4: BinaryPrimitives.WriteUInt32LittleEndian(b, checked((uint)u)); break;
                    default: BinaryPrimitives.WriteUInt64LittleEndian(b, u); break;
                }
                break;
            case DataTypeKind.Float:
                double d = ZarrNaN(value is Half h ? (double)h : Convert.ToDouble(value, ci));
                switch (t.ItemSize)
                {
                    case 2: BinaryPrimitives.WriteHalfLittleEndian(b, (Half)d); break;
                    case 4: BinaryPrimitives.WriteSingleLittleEndian(b, (float)d); break;
                    default: BinaryPrimitives.WriteDoubleLittleEndian(b, d); break;
                }
                break;
            case DataTypeKind.Complex:
                (double re, double im) = value switch
                {
                    Complex c => (c.Real, c.Imaginary),
                    Complex64 c => ((double)c.Real, (double)c.Imaginary),
                    _ => (Convert.ToDouble(value, ci), 0.0),
                };
                (re, im) = (ZarrNaN(re), ZarrNaN(im));
                if (t.ItemSize == 8)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(b, (float)re);
                    BinaryPrimitives.WriteSingleLittleEndian(b[4..], (float)im);
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(b, re);
                    BinaryPrimitives.WriteDoubleLittleEndian(b[8..], im);
                }
                break;
            default: throw new NotSupportedException($"{t} is not a scalar type");
        }
    }

    /// <summary>The NaN Zarr means by "NaN" (sign 0, only the top mantissa bit set), as a double.</summary>
    public static double CanonicalNaN => BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000);

    /// <summary>
    /// .NET's <see cref="double.NaN"/> (and float's and Half's) has its sign bit set, an accident of x86; values that
    /// are that NaN become Zarr's NaN, as NumPy's np.nan is. Other NaNs keep their bits.
    /// </summary>
    public static double ZarrNaN(double d) => BitConverter.DoubleToUInt64Bits(d) == 0xFFF8_0000_0000_0000 ? CanonicalNaN : d;

    /// <summary>True when <paramref name="b"/> (2, 4 or 8 bytes, little-endian) is Zarr's NaN.</summary>
    public static bool IsCanonicalNaN(ReadOnlySpan<byte> b) => b.Length switch
    {
        2 => BinaryPrimitives.ReadUInt16LittleEndian(b) == 0x7E00,
        4 => BinaryPrimitives.ReadUInt32LittleEndian(b) == 0x7FC0_0000,
        _ => BinaryPrimitives.ReadUInt64LittleEndian(b) == 0x7FF8_0000_0000_0000,
    };

    /// <summary>NumPy's |S semantics: trailing NULs are not part of the value.</summary>
    public static byte[] ReadFixedBytes(ReadOnlySpan<byte> b)
    {
        int n = b.Length;
        while (n > 0 && b[n - 1] == 0) n--;
        return b[..n].ToArray();
    }

    public static void WriteFixedBytes(byte[]? value, Span<byte> b)
    {
        b.Clear();
        if (value is null) return;
        if (value.Length > b.Length) throw new ArgumentException($"A value of {value.Length} bytes does not fit a fixed-length type of {b.Length} bytes.");
        value.CopyTo(b);
    }

    /// <summary>NumPy's &lt;U semantics: UTF-32LE code points, trailing NULs are not part of the value.</summary>
    public static string ReadFixedUnicode(ReadOnlySpan<byte> b)
    {
        int n = b.Length / 4;
        while (n > 0 && BinaryPrimitives.ReadUInt32LittleEndian(b[((n - 1) * 4)..]) == 0) n--;
        if (n == 0) return "";
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++)
        {
            var cp = BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]);
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) sb.Append('\uFFFD');
            else sb.Append(char.ConvertFromUtf32((int)cp));
        }
        return sb.ToString();
    }

    public static void WriteFixedUnicode(string? value, Span<byte> b)
    {
        b.Clear();
        if (string.IsNullOrEmpty(value)) return;
        int i = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if ((i + 1) * 4 > b.Length) throw new ArgumentException($"The text '{value}' has more characters than the fixed-length type's {b.Length / 4}.");
            BinaryPrimitives.WriteUInt32LittleEndian(b[(i * 4)..], (uint)rune.Value);
            i++;
        }
    }
}
