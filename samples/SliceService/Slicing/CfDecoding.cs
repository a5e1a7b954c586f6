using System.Globalization;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Samples.SliceService.Slicing;

/// <summary>
/// The CF conventions' packing of one variable (<c>scale_factor</c>, <c>add_offset</c>, <c>_FillValue</c> and
/// <c>missing_value</c>): <c>value = raw * scale_factor + add_offset</c>, NaN where raw is a fill or missing value.
/// </summary>
/// <param name="ScaleFactor">Multiplier (1 when absent).</param>
/// <param name="AddOffset">Offset (0 when absent).</param>
/// <param name="FillValues">Raw values that mean "no data".</param>
/// <param name="Units">The units of the decoded values, or null.</param>
public sealed record CfDecoding(double ScaleFactor, double AddOffset, IReadOnlyList<double> FillValues, string? Units)
{
    /// <summary>Reads the packing of an array from its attributes (and its Zarr fill value when there is no _FillValue).</summary>
    public static CfDecoding Of(ZarrArray array)
    {
        var attrs = array.Attributes;
        var fills = new List<double>();
        AddNumbers(attrs["_FillValue"], fills);
        AddNumbers(attrs["missing_value"], fills);
        if (fills.Count == 0 && !array.FillValue.IsNull && array.FillValue.ToObject() is IConvertible c && c is not string)
            fills.Add(Convert.ToDouble(c, CultureInfo.InvariantCulture));
        return new CfDecoding(Number(attrs["scale_factor"]) ?? 1, Number(attrs["add_offset"]) ?? 0, fills, (string?)(attrs["units"] as JsonValue));
    }

    /// <summary>The decoded value of one raw value.</summary>
    public double Decode(double raw)
    {
        foreach (var f in FillValues)
            if (raw == f || (double.IsNaN(f) && double.IsNaN(raw))) return double.NaN;
        // In decimal where the numbers allow, so that 1748 * 0.001 + 298.15 is 299.898 as the attributes say, not
        // 299.89799999999997 from binary rounding (what a user would otherwise read in the JSON).
        if (Math.Abs(raw) < DecimalSafe && Math.Abs(ScaleFactor) < DecimalSafe && Math.Abs(AddOffset) < DecimalSafe)
            return (double)((decimal)raw * (decimal)ScaleFactor + (decimal)AddOffset);
        return raw * ScaleFactor + AddOffset;
    }

    /// <summary>Magnitudes whose products and sums stay well inside <see cref="decimal"/>'s range.</summary>
    private const double DecimalSafe = 1e12;

    private static void AddNumbers(JsonNode? node, List<double> into)
    {
        if (node is JsonArray a) foreach (var item in a) AddNumbers(item, into);
        else if (Number(node) is { } v) into.Add(v);
    }

    private static double? Number(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<double>(out var d) ? d
        : v.TryGetValue<string>(out var s) && s == "NaN" ? double.NaN : null
        : null;
}
