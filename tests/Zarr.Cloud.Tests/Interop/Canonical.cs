using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>
/// Values as comparable text, one per element: how tests compare arrays read by this SDK with arrays
/// written by other implementations (.npy from NumPy, JSON from zarrita.js), value by value.
/// Floats use the shortest round-trip form, so equal text means equal bits (NaN aside).
/// </summary>
public static partial class Canonical
{
    public static string Of(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        float f => Float(f),
        double d => Float(d),
        Half h => Float((double)h),
        Complex64 c => $"({Float(c.Real)},{Float(c.Imaginary)})",
        Complex c => $"({Float(c.Real)},{Float(c.Imaginary)})",
        byte[] bytes => Convert.ToBase64String(TrimNul(bytes)),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static byte[] TrimNul(byte[] b)
    {
        int n = b.Length;
        while (n > 0 && b[n - 1] == 0) n--;
        return b[..n];
    }

    private static string Float(double d) => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : d.ToString("R", CultureInfo.InvariantCulture);

    private static string Float(float f) => float.IsNaN(f) ? "NaN" : Float((double)f);

    /// <summary>The canonical values of an array read by this SDK.</summary>
    public static (int[] Shape, string[] Values) Of(INDArray a)
    {
        var values = new string[a.Data.Length];
        for (int i = 0; i < values.Length; i++) values[i] = Of(a.Data.GetValue(i));
        return (a.Shape, values);
    }

    /// <summary>Reads an expected-values file: NumPy .npy, or JSON {shape, dtype, data}.</summary>
    public static (int[] Shape, string[] Values) Load(string path)
    {
        if (path.EndsWith(".json", StringComparison.Ordinal)) return LoadJson(path);
        return LoadNpy(File.ReadAllBytes(path), path);
    }

    private static (int[] Shape, string[] Values) LoadJson(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var shape = root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var values = new List<string>();
        void Flatten(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) { foreach (var x in e.EnumerateArray()) Flatten(x); return; }
            values.Add(e.ValueKind switch
            {
                JsonValueKind.String => e.GetString()!,
                JsonValueKind.Null => "null",
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => e.GetRawText(),
            });
        }
        Flatten(root.GetProperty("data"));
        return (shape, values.ToArray());
    }

    /// <summary>Parses a .npy file (format 1.0/2.0/3.0) into canonical values in C order.</summary>
    public static (int[] Shape, string[] Values) LoadNpy(byte[] file, string name)
    {
        if (file.Length < 10 || file[0] != 0x93 || Encoding.ASCII.GetString(file, 1, 5) != "NUMPY") throw new InvalidDataException($"{name} is not a .npy file");
        int major = file[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        var header = (major >= 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file, start, headerLength);
        var descr = DescrRegex().Match(header).Groups[1].Value;
        bool fortran = header.Contains("'fortran_order': True", StringComparison.Ordinal);
        var shapeText = ShapeRegex().Match(header).Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = file.AsSpan(start + headerLength);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        char order = descr[0];
        char kind = descr[1];
        string sizeText = new(descr.Skip(2).TakeWhile(char.IsAsciiDigit).ToArray());
        int size = int.Parse(sizeText, CultureInfo.InvariantCulture);
        int itemSize = kind == 'U' ? size * 4 : size;
        bool big = order == '>';
        var values = new string[count];
        for (long i = 0; i < count; i++)
        {
            var b = data.Slice((int)(i * itemSize), itemSize).ToArray();
            if (big && kind is 'i' or 'u' or 'f' or 'M' or 'm') Array.Reverse(b);
            if (big && kind == 'c') { Array.Reverse(b, 0, size / 2); Array.Reverse(b, size / 2, size / 2); }
            if (big && kind == 'U') for (int k = 0; k < b.Length; k += 4) Array.Reverse(b, k, 4);
            values[i] = Element(kind, size, b);
        }
        if (fortran && shape.Length > 1) values = FortranToC(values, shape);
        return (shape, values);
    }

    private static string Element(char kind, int size, byte[] b) => kind switch
    {
        'b' => b[0] != 0 ? "true" : "false",
        'i' => size switch { 1 => ((sbyte)b[0]).ToString(CultureInfo.InvariantCulture), 2 => BinaryPrimitives.ReadInt16LittleEndian(b).ToString(CultureInfo.InvariantCulture), 4 => BinaryPrimitives.ReadInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture), _ => BinaryPrimitives.ReadInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture) },
        'u' => size switch { 1 => b[0].ToString(CultureInfo.InvariantCulture), 2 => BinaryPrimitives.ReadUInt16LittleEndian(b).ToString(CultureInfo.InvariantCulture), 4 => BinaryPrimitives.ReadUInt32LittleEndian(b).ToString(CultureInfo.InvariantCulture), _ => BinaryPrimitives.ReadUInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture) },
        'f' => size switch { 2 => Of(BinaryPrimitives.ReadHalfLittleEndian(b)), 4 => Of(BinaryPrimitives.ReadSingleLittleEndian(b)), _ => Of(BinaryPrimitives.ReadDoubleLittleEndian(b)) },
        'c' => size == 8 ? Of(new Complex64(BinaryPrimitives.ReadSingleLittleEndian(b), BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(4)))) : Of(new Complex(BinaryPrimitives.ReadDoubleLittleEndian(b), BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(8)))),
        'M' or 'm' => BinaryPrimitives.ReadInt64LittleEndian(b).ToString(CultureInfo.InvariantCulture),
        'S' => Of(b),
        'U' => Utf32(b),
        _ => throw new NotSupportedException($"npy kind '{kind}'"),
    };

    private static string Utf32(byte[] b)
    {
        var sb = new StringBuilder();
        for (int k = 0; k + 4 <= b.Length; k += 4)
        {
            var cp = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(k));
            if (cp == 0) break;
            sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }

    private static string[] FortranToC(string[] f, int[] shape)
    {
        var c = new string[f.Length];
        var idx = new int[shape.Length];
        for (int i = 0; i < c.Length; i++)
        {
            // idx is the C-order index of element i; its Fortran offset:
            long fo = 0, stride = 1;
            for (int d = 0; d < shape.Length; d++) { fo += idx[d] * stride; stride *= shape[d]; }
            c[i] = f[fo];
            for (int d = shape.Length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
        return c;
    }

    /// <summary>
    /// Asserts two canonical value lists are equal, value by value: numbers compare as doubles (so "1e-07" from
    /// JavaScript equals "1E-07" from .NET, and NaN equals NaN), everything else as text.
    /// </summary>
    public static void AssertEqual(string[] expected, string[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} expected values, {actual.Length} read");
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i]) continue;
            if (double.TryParse(expected[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var e)
                && double.TryParse(actual[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && (e.Equals(a) || (double.IsNaN(e) && double.IsNaN(a)))) continue;
            Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
