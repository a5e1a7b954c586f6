using System.Globalization;
using System.Text.RegularExpressions;

namespace Zarr.Cloud.Samples.SliceService.Slicing;

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
