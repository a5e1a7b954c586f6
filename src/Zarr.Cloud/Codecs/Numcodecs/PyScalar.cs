using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// A number from a numcodecs configuration as Python holds it: an int (JSON without a fraction or exponent) or a
/// float. The difference matters: NumPy promotes an array by an int scalar differently than by a float one.
/// </summary>
/// <param name="IsInteger">True for a Python int.</param>
/// <param name="Integer">The value of an int.</param>
/// <param name="Float">The value as a double (also set for ints).</param>
internal readonly record struct PyScalar(bool IsInteger, long Integer, double Float)
{
    /// <summary>A Python int.</summary>
    /// <param name="value">The value.</param>
    public static PyScalar FromInteger(long value) => new(true, value, value);

    /// <summary>A number given in C#: whole numbers in the range of a long count as Python ints, as a Python user would write them.</summary>
    /// <param name="value">The value.</param>
    public static PyScalar FromDouble(double value) =>
        double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) < 9.2e18 ? FromInteger((long)value) : FromFloat(value);

    /// <summary>A Python float.</summary>
    /// <param name="value">The value.</param>
    public static PyScalar FromFloat(double value) => new(false, 0, value);

    /// <summary>Reads a JSON number (or "NaN"/"Infinity" strings) as Python's json module would.</summary>
    /// <param name="node">The value.</param>
    /// <param name="codec">The codec, for messages.</param>
    /// <param name="field">The field, for messages.</param>
    public static PyScalar Parse(JsonNode? node, string codec, string field)
    {
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number)
            {
                // The text decides, as in Python: "1000" is an int, "1000.0" a float (however the node was made).
                using var doc = JsonDocument.Parse(v.ToJsonString());
                if (doc.RootElement.TryGetInt64(out var l)) return FromInteger(l);
                if (doc.RootElement.TryGetDouble(out var d)) return FromFloat(d);
            }
            if (v.GetValueKind() == JsonValueKind.String)
            {
                switch (v.GetValue<string>())
                {
                    case "NaN": return FromFloat(double.NaN);
                    case "Infinity": return FromFloat(double.PositiveInfinity);
                    case "-Infinity": return FromFloat(double.NegativeInfinity);
                }
            }
        }
        throw new FormatException($"codec '{codec}': '{field}' must be a number, got {node?.ToJsonString() ?? "nothing"}");
    }

    /// <summary>The JSON form: an integer or a float (a float that is whole keeps a ".0" so it reads back as a float).</summary>
    public JsonNode ToJson()
    {
        if (IsInteger) return JsonValue.Create(Integer);
        if (double.IsNaN(Float)) return JsonValue.Create("NaN");
        if (double.IsInfinity(Float)) return JsonValue.Create(Float > 0 ? "Infinity" : "-Infinity");
        var text = Float.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.') && !text.Contains('E')) text += ".0";
        return JsonNode.Parse(text)!;
    }

    /// <inheritdoc />
    public override string ToString() => IsInteger ? Integer.ToString(CultureInfo.InvariantCulture) : Float.ToString("R", CultureInfo.InvariantCulture);
}
