using System.Globalization;

namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// NumPy's text form of a datetime64: ISO 8601 at the precision of the unit ("2020", "2020-01", "2020-01-02",
/// "2020-01-02T03:04:05.123456789").
/// </summary>
internal static class DateTimeText
{
    private const long EpochDayNumber = 719162; // DateOnly.DayNumber of 1970-01-01

    /// <summary>Formats <paramref name="value"/> counts of <paramref name="scale"/> × <paramref name="unit"/> since 1970; false for units without a calendar form here (ps, fs, as, generic) or dates outside years 1..9999.</summary>
    /// <param name="value">The count.</param>
    /// <param name="unit">The unit: Y, M, W, D, h, m, s, ms, us, ns.</param>
    /// <param name="scale">The unit's multiplier.</param>
    /// <param name="text">The ISO text.</param>
    public static bool TryFormat(long value, string unit, int scale, out string text)
    {
        text = "";
        Int128 n = (Int128)value * scale;
        switch (unit)
        {
            case "Y":
            {
                var year = 1970 + n;
                if (year < 1 || year > 9999) return false;
                text = ((int)year).ToString("D4", CultureInfo.InvariantCulture);
                return true;
            }
            case "M":
            {
                var years = FloorDiv(n, 12);
                var year = 1970 + years;
                if (year < 1 || year > 9999) return false;
                text = $"{(int)year:D4}-{(int)(n - years * 12) + 1:D2}";
                return true;
            }
            case "W":
                return TryFormatDays(n * 7, 0, 0, "", out text);
            case "D":
                return TryFormatDays(n, 0, 0, "", out text);
        }
        (Int128 perSecond, int digits, string clock) = unit switch
        {
            "h" => ((Int128)1, 0, "h"),
            "m" => (1, 0, "m"),
            "s" => (1, 0, "s"),
            "ms" => (1_000, 3, "s"),
            "us" => (1_000_000, 6, "s"),
            "ns" => (1_000_000_000, 9, "s"),
            _ => (0, 0, ""),
        };
        if (clock.Length == 0) return false;
        Int128 perDay = unit switch { "h" => 24, "m" => 24 * 60, _ => 86_400 * perSecond };
        var days = FloorDiv(n, perDay);
        var rest = n - days * perDay;
        return TryFormatDays(days, rest, perSecond, clock, out text, digits);
    }

    private static bool TryFormatDays(Int128 days, Int128 rest, Int128 perSecond, string clock, out string text, int digits = 0)
    {
        text = "";
        var dayNumber = EpochDayNumber + days;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber) return false;
        var date = DateOnly.FromDayNumber((int)dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (clock)
        {
            case "":
                text = date;
                return true;
            case "h":
                text = $"{date}T{(int)rest:D2}";
                return true;
            case "m":
                text = $"{date}T{(int)(rest / 60):D2}:{(int)(rest % 60):D2}";
                return true;
        }
        var seconds = (long)(rest / perSecond);
        var fraction = (long)(rest % perSecond);
        text = $"{date}T{seconds / 3600:D2}:{seconds / 60 % 60:D2}:{seconds % 60:D2}";
        if (digits > 0) text += "." + fraction.ToString(new string('0', digits), CultureInfo.InvariantCulture);
        return true;
    }

    private static Int128 FloorDiv(Int128 a, Int128 b)
    {
        var q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
        return q;
    }
}
