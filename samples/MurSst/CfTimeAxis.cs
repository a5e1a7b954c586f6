using System.Globalization;

namespace Zarr.Cloud.Samples.MurSst;

/// <summary>
/// A CF time coordinate: integer offsets in a unit since a reference instant (<c>units: "days since 2002-06-01
/// 09:00:00"</c>, also seconds, minutes and hours), with a Gregorian calendar, in UTC. Turns values into instants and
/// a range of dates into the range of indices whose instants fall on those dates, by binary search.
/// </summary>
internal sealed class CfTimeAxis
{
    private readonly long[] _values;

    private CfTimeAxis(long[] values, TimeSpan unit, DateTime epoch)
    {
        _values = values;
        Unit = unit;
        Epoch = epoch;
    }

    /// <summary>The length of one unit.</summary>
    public TimeSpan Unit { get; }

    /// <summary>The reference instant (UTC).</summary>
    public DateTime Epoch { get; }

    /// <summary>The number of time steps.</summary>
    public int Length => _values.Length;

    /// <summary>Reads the units and calendar of a time coordinate.</summary>
    /// <param name="values">The coordinate's values, increasing.</param>
    /// <param name="units">Its <c>units</c> attribute.</param>
    /// <param name="calendar">Its <c>calendar</c> attribute, or null.</param>
    /// <exception cref="FormatException">Units that are not "UNIT since DATE", or a calendar other than Gregorian.</exception>
    public static CfTimeAxis Parse(long[] values, string? units, string? calendar)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (calendar is not null && calendar.ToLowerInvariant() is not ("standard" or "gregorian" or "proleptic_gregorian"))
            throw new FormatException($"time: calendar '{calendar}' is not supported (standard, gregorian or proleptic_gregorian)");
        var parts = (units ?? "").Split(" since ", 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2) throw new FormatException($"time: units '{units}' are not of the form 'UNIT since DATE'");
        var unit = parts[0].ToLowerInvariant() switch
        {
            "days" or "day" or "d" => TimeSpan.FromDays(1),
            "hours" or "hour" or "h" => TimeSpan.FromHours(1),
            "minutes" or "minute" or "min" => TimeSpan.FromMinutes(1),
            "seconds" or "second" or "s" => TimeSpan.FromSeconds(1),
            _ => throw new FormatException($"time: unit '{parts[0]}' in '{units}' is not days, hours, minutes or seconds"),
        };
        var text = parts[1].Replace(" UTC", "", StringComparison.OrdinalIgnoreCase).Replace("Z", "", StringComparison.Ordinal).Replace('T', ' ').Trim();
        string[] formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-M-d H:m:s", "yyyy-M-d"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var epoch))
            throw new FormatException($"time: the reference date '{parts[1]}' in '{units}' does not parse");
        return new CfTimeAxis(values, unit, DateTime.SpecifyKind(epoch, DateTimeKind.Utc));
    }

    /// <summary>The instant of step <paramref name="index"/>.</summary>
    /// <param name="index">A time index.</param>
    public DateTime this[int index] => Epoch + _values[index] * Unit;

    /// <summary>The indices [Start, End) of the steps whose date (UTC) is within <paramref name="from"/> .. <paramref name="to"/>, both included.</summary>
    /// <param name="from">The first date.</param>
    /// <param name="to">The last date.</param>
    /// <exception cref="ArgumentException">The range is reversed, or no step of the dataset falls in it (the message gives the dataset's dates).</exception>
    public (int Start, int End) IndicesOf(DateOnly from, DateOnly to)
    {
        if (to < from) throw new ArgumentException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}");
        int start = FirstAtOrAfter(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        int end = FirstAtOrAfter(to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        if (start >= end)
            throw new ArgumentException($"no time step between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}: the dataset covers {DateOnly.FromDateTime(this[0]):yyyy-MM-dd} .. {DateOnly.FromDateTime(this[Length - 1]):yyyy-MM-dd}");
        return (start, end);
    }

    private int FirstAtOrAfter(DateTime instant)
    {
        // Compare in units since the epoch (a double: large offsets in seconds stay exact enough for day boundaries).
        double target = (instant - Epoch) / Unit;
        int lo = 0, hi = _values.Length;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (_values[mid] < target) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
