using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// Writes elements of one data type as text (CSV, the summary) and as JSON: numbers in their shortest
/// round-trippable invariant form, NaN and infinities as "NaN", "Infinity", "-Infinity", complex numbers as
/// <c>1+2j</c> (text) or <c>[1, 2]</c> (JSON), datetime64 as ISO 8601 at the unit's precision (as NumPy prints
/// them), NaT as "NaT", fixed-length bytes as Latin-1 text.
/// </summary>
internal sealed class ElementFormatter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly ZarrDataType _dataType;

    /// <summary>Creates a formatter for <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The elements' type.</param>
    public ElementFormatter(ZarrDataType dataType) => _dataType = dataType;

    /// <summary>The element as text.</summary>
    /// <typeparam name="T">The element's CLR type.</typeparam>
    /// <param name="value">The element.</param>
    public string Text<T>(T value) => value switch
    {
        bool b => b ? "true" : "false",
        long l when _dataType.Kind is DataTypeKind.DateTime64 or DataTypeKind.TimeDelta64 => TimeText(l),
        Half h => Number((double)h, h.ToString("R", Inv)),
        float f => Number(f, f.ToString("R", Inv)),
        double d => Number(d, d.ToString("R", Inv)),
        Complex64 c => ComplexText(Text(c.Real), c.Imaginary, Text(c.Imaginary)),
        Complex c => ComplexText(Text(c.Real), c.Imaginary, Text(c.Imaginary)),
        byte[] bytes => Encoding.Latin1.GetString(bytes),
        string s => s,
        null => "",
        IFormattable x => x.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };

    /// <summary>Writes the element as a JSON value.</summary>
    /// <typeparam name="T">The element's CLR type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The element.</param>
    public void WriteJson<T>(Utf8JsonWriter writer, T value)
    {
        switch (value)
        {
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l when _dataType.Kind == DataTypeKind.DateTime64:
                writer.WriteStringValue(TimeText(l));
                break;
            case long l when l == long.MinValue && _dataType.Kind == DataTypeKind.TimeDelta64:
                writer.WriteStringValue("NaT");
                break;
            case Half or float or double:
                WriteJsonNumber(writer, Text(value));
                break;
            case Complex64 c:
                WriteJsonPair(writer, Text(c.Real), Text(c.Imaginary));
                break;
            case Complex c:
                WriteJsonPair(writer, Text(c.Real), Text(c.Imaginary));
                break;
            case byte[] or string or null:
                writer.WriteStringValue(Text(value));
                break;
            default:
                writer.WriteRawValue(Text(value), skipInputValidation: true);
                break;
        }
    }

    private static void WriteJsonPair(Utf8JsonWriter writer, string real, string imaginary)
    {
        writer.WriteStartArray();
        WriteJsonNumber(writer, real);
        WriteJsonNumber(writer, imaginary);
        writer.WriteEndArray();
    }

    private static void WriteJsonNumber(Utf8JsonWriter writer, string text)
    {
        if (text is "NaN" or "Infinity" or "-Infinity") writer.WriteStringValue(text);
        else writer.WriteRawValue(text, skipInputValidation: true);
    }

    private static string Number(double value, string shortest) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : shortest;

    private static string ComplexText(string real, double imaginary, string imaginaryText) =>
        imaginary < 0 || double.IsNegative(imaginary) || imaginaryText.StartsWith('-') ? $"{real}{imaginaryText}j" : $"{real}+{imaginaryText}j";

    private string TimeText(long value)
    {
        if (value == long.MinValue) return "NaT";
        if (_dataType.Kind == DataTypeKind.DateTime64 && DateTimeText.TryFormat(value, _dataType.TimeUnit!, _dataType.TimeScale, out var iso)) return iso;
        return value.ToString(Inv);
    }
}
