using System.Globalization;

namespace Zarr.Cloud.Samples.MurSst;

/// <summary>What the sample is asked: a point, a date range, where the dataset is and how to reach it.</summary>
internal sealed record MurSstQuery
{
    /// <summary>The public MUR SST Zarr store (AWS Open Data, us-west-2, anonymous).</summary>
    public const string DefaultUrl = "s3://mur-sst/zarr-v1";

    /// <summary>The usage text.</summary>
    public const string Usage = "usage: MurSst --lat DEG --lon DEG --from YYYY-MM-DD --to YYYY-MM-DD [--url URL] [--endpoint URL] [--region REGION] [--variable NAME] [--stats]";

    /// <summary>Latitude in degrees north, -90..90.</summary>
    public double Latitude { get; init; }

    /// <summary>Longitude in degrees east, -180..360 (values above 180 are taken as east of Greenwich and wrapped).</summary>
    public double Longitude { get; init; }

    /// <summary>The first date.</summary>
    public DateOnly From { get; init; }

    /// <summary>The last date (included).</summary>
    public DateOnly To { get; init; }

    /// <summary>The dataset's URL.</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>A custom S3 endpoint (an emulator), or null.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The region, or null to ask S3.</summary>
    public string? Region { get; init; }

    /// <summary>The variable to read.</summary>
    public string Variable { get; init; } = "analysed_sst";

    /// <summary>Print request counts.</summary>
    public bool Stats { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <exception cref="ArgumentException">An unknown or repeated option, a missing value, a value that does not parse or is out of range.</exception>
    public static MurSstQuery Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool stats = false;
        for (int i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string? value = null;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0) (name, value) = (name[..eq], name[(eq + 1)..]);
            if (name == "--stats" && value is null)
            {
                stats = true;
                continue;
            }
            if (name is not ("--lat" or "--lon" or "--from" or "--to" or "--url" or "--endpoint" or "--region" or "--variable"))
                throw new ArgumentException($"unknown argument '{args[i]}'");
            if (value is null)
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
                value = args[++i];
            }
            if (!values.TryAdd(name, value)) throw new ArgumentException($"{name} is given twice");
        }
        foreach (var required in new[] { "--lat", "--lon", "--from", "--to" })
            if (!values.ContainsKey(required)) throw new ArgumentException($"{required} is required");
        double lat = Degrees(values["--lat"], "--lat", -90, 90);
        double lon = Degrees(values["--lon"], "--lon", -180, 360);
        return new MurSstQuery
        {
            Latitude = lat,
            Longitude = lon > 180 ? lon - 360 : lon,
            From = Date(values["--from"], "--from"),
            To = Date(values["--to"], "--to"),
            Url = values.GetValueOrDefault("--url", DefaultUrl),
            Endpoint = values.GetValueOrDefault("--endpoint"),
            Region = values.GetValueOrDefault("--region"),
            Variable = values.GetValueOrDefault("--variable", "analysed_sst"),
            Stats = stats,
        };
    }

    private static double Degrees(string text, string option, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new ArgumentException($"{option} '{text}' is not a number of degrees");
        if (v < min || v > max) throw new ArgumentException($"{option} {text} is out of range {min} .. {max}");
        return v;
    }

    private static DateOnly Date(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"{option} '{text}' is not a date (YYYY-MM-DD)");
}
