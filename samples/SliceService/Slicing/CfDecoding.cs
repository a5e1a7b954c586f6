using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
        return raw * ScaleFactor + AddOffset;
    }

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

/// <summary>
/// CF time units, <c>"&lt;unit&gt; since &lt;date&gt;"</c> (days, hours, minutes, seconds, milliseconds), turning
/// coordinate numbers into UTC instants.
/// </summary>
/// <param name="Unit">The length of one unit.</param>
/// <param name="Epoch">The reference instant.</param>
public sealed partial record CfTimeUnits(TimeSpan Unit, DateTimeOffset Epoch)
{
    [GeneratedRegex(@"^\s*(\w+)\s+since\s+(.+?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses units such as <c>"seconds since 1981-01-01 00:00:00 UTC"</c> or <c>"days since 1970-01-01"</c>.</summary>
    /// <exception cref="FormatException">Not time units of this form.</exception>
    public static CfTimeUnits Parse(string units)
    {
        var m = Pattern().Match(units);
        if (!m.Success) throw new FormatException($"Time units '{units}' are not '<unit> since <date>'.");
        var unit = m.Groups[1].Value.ToLowerInvariant() switch
        {
            "day" or "days" or "d" => TimeSpan.FromDays(1),
            "hour" or "hours" or "h" or "hr" or "hrs" => TimeSpan.FromHours(1),
            "minute" or "minutes" or "min" or "mins" => TimeSpan.FromMinutes(1),
            "second" or "seconds" or "s" or "sec" or "secs" => TimeSpan.FromSeconds(1),
            "millisecond" or "milliseconds" or "ms" => TimeSpan.FromMilliseconds(1),
            var other => throw new FormatException($"Time units '{units}': unit '{other}' is not days, hours, minutes, seconds or milliseconds."),
        };
        var text = m.Groups[2].Value.Trim();
        if (text.EndsWith(" UTC", StringComparison.OrdinalIgnoreCase)) text = text[..^4];
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var epoch))
            throw new FormatException($"Time units '{units}': '{text}' is not a date.");
        return new CfTimeUnits(unit, epoch);
    }

    /// <summary>The instant of a coordinate value.</summary>
    public DateTimeOffset ToInstant(double value) => Epoch + TimeSpan.FromTicks(checked((long)Math.Round(value * Unit.Ticks)));
}
