using System.Numerics;
using System.Text;

namespace Zarr.Cloud.Tests.Support;

/// <summary>Random element values of every .NET element type, for a data type.</summary>
public static class RandomValues
{
    private static readonly string[] Samples = ["", "a", "héllo", "日本語", "🎉", "ñandú", "x y z", "Ωmega", "\u00e9\u0301", "tab\there"];

    public static T[] Make<T>(ZarrDataType type, int n, int seed)
    {
        var rng = new Random(seed);
        object Next()
        {
            switch (type.Kind)
            {
                case DataTypeKind.Bool: return rng.Next(2) == 1;
                case DataTypeKind.Int:
                case DataTypeKind.DateTime64:
                case DataTypeKind.TimeDelta64:
                    return type.ItemSize switch
                    {
                        1 => (object)(sbyte)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1),
                        2 => (short)rng.Next(short.MinValue, short.MaxValue + 1),
                        4 => rng.Next(int.MinValue, int.MaxValue),
                        _ => rng.NextInt64(long.MinValue, long.MaxValue),
                    };
                case DataTypeKind.UInt:
                    return type.ItemSize switch
                    {
                        1 => (object)(byte)rng.Next(256),
                        2 => (ushort)rng.Next(ushort.MaxValue + 1),
                        4 => (uint)rng.NextInt64(uint.MaxValue + 1L),
                        _ => (ulong)rng.NextInt64() * 2 + (ulong)rng.Next(2),
                    };
                case DataTypeKind.Float:
                    double d = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 6));
                    return type.ItemSize switch { 2 => (object)(Half)d, 4 => (float)d, _ => d };
                case DataTypeKind.Complex:
                    return type.ItemSize == 8
                        ? new Complex64((float)rng.NextDouble(), (float)-rng.NextDouble())
                        : new Complex(rng.NextDouble() * 1e6, -rng.NextDouble());
                case DataTypeKind.FixedBytes:
                {
                    // NumPy's |S drops trailing NULs: a value never ends with one.
                    var b = new byte[rng.Next(type.ItemSize + 1)];
                    rng.NextBytes(b);
                    if (b.Length > 0 && b[^1] == 0) b[^1] = 1;
                    return b;
                }
                case DataTypeKind.FixedUnicode:
                {
                    var sb = new StringBuilder();
                    int chars = rng.Next(type.ItemSize / 4 + 1);
                    for (int i = 0; i < chars; i++) sb.Append(rng.Next(4) == 0 ? "🎉" : ((char)rng.Next('a', 'z' + 1)).ToString());
                    return sb.ToString();
                }
                default:
                    return Samples[rng.Next(Samples.Length)] + (rng.Next(3) == 0 ? new string('z', rng.Next(50)) : "");
            }
        }
        var result = new T[n];
        for (int i = 0; i < n; i++) result[i] = (T)Next();
        return result;
    }
}
