using System.Globalization;
using Zarr.Cloud.S3.Tests;
using Zarr.Cloud.Samples.MurSst;

namespace Zarr.Cloud.Samples.Tests;

/// <summary>
/// samples/MurSst against the MUR-like copy on the S3 emulator, read anonymously by URL: the printed °C equal the
/// values written (unpacked here from the stored integers, not by the sample), one request per time chunk, and bad
/// points and dates are clear errors.
/// </summary>
public sealed class MurSstSampleTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> DatasetAsync()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        return await MurLikeDataset.GetAsync(s3, Ct);
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = await MurSstProgram.RunAsync([.. args, "--endpoint", s3.Endpoint], stdout, stderr, Ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Expected(int t, int y, int x)
    {
        short packed = MurLikeDataset.Packed(t, y, x);
        if (packed == MurLikeDataset.Fill) return "missing";
        decimal celsius = packed * 0.001m + 298.15m - 273.15m; // exact decimal arithmetic, then the sample's 3 decimals
        return celsius.ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static string[] DataLines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    [Fact]
    public async Task ATimeSeriesPrintsTheTemperatureInCelsiusAtTheNearestPointWithOneRequestPerTimeChunk()
    {
        var bucket = await DatasetAsync();
        var r = await RunAsync("--url", $"s3://{bucket}/zarr-v1", "--lat", "36.2", "--lon", "-120.3", "--from", "2020-01-01", "--to", "2020-01-31", "--stats");
        Assert.True(r.Code == 0, r.ToString());
        const int y = 125, x = 59; // 36°N, -120°E: the nearest grid point
        Assert.Contains("nearest grid point lat 36, lon -120", r.Out, StringComparison.Ordinal);
        int first = (int)(new DateOnly(2020, 1, 1).DayNumber - MurLikeDataset.DateOf(0).DayNumber), last = first + 30;
        var expected = Enumerable.Range(first, last - first + 1).Select(t => $"{MurLikeDataset.DateOf(t):yyyy-MM-dd}  {Expected(t, y, x)}").ToArray();
        Assert.Equal(expected, DataLines(r.Out));
        Assert.Contains(DataLines(r.Out), l => l.EndsWith("missing", StringComparison.Ordinal)); // the gap on 2020-01-04
        int timeChunks = Enumerable.Range(first, last - first + 1).Select(t => t / 5).Distinct().Count();
        Assert.Contains($"requests: {timeChunks} for the time series (31 days)", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongitudesEastOf180WrapAndLandIsMissing()
    {
        var bucket = await DatasetAsync();
        var west = await RunAsync("--url", $"s3://{bucket}/zarr-v1", "--lat", "36.2", "--lon", "-120.3", "--from", "2020-02-01", "--to", "2020-02-12");
        var east = await RunAsync("--url", $"s3://{bucket}/zarr-v1", "--lat", "36.2", "--lon", "239.7", "--from", "2020-02-01", "--to", "2020-02-12");
        Assert.Equal(0, east.Code);
        Assert.Equal(DataLines(west.Out), DataLines(east.Out));
        Assert.Equal(12, DataLines(east.Out).Length);
        var land = await RunAsync("--url", $"s3://{bucket}/zarr-v1", "--lat", "125.0e-2", "--lon", "65", "--from", "2019-12-15", "--to", "2019-12-16");
        Assert.Equal(0, land.Code);
        Assert.Equal(2, DataLines(land.Out).Length);
        var landPoint = await RunAsync("--url", $"s3://{bucket}/zarr-v1", "--lat", "36", "--lon", "65", "--from", "2019-12-15", "--to", "2019-12-20");
        Assert.Equal(["2019-12-15  missing", "2019-12-16  missing", "2019-12-17  missing", "2019-12-18  missing", "2019-12-19  missing", "2019-12-20  missing"], DataLines(landPoint.Out));
    }

    [Theory]
    [InlineData(2, "no time step between 2021-01-01 and 2021-01-05: the dataset covers 2019-12-15 .. 2020-02-12", "--lat", "10", "--lon", "10", "--from", "2021-01-01", "--to", "2021-01-05")]
    [InlineData(2, "--to 2020-01-01 is before --from 2020-01-05", "--lat", "10", "--lon", "10", "--from", "2020-01-05", "--to", "2020-01-01")]
    [InlineData(2, "lat 89.8 is outside the dataset's lat range -89 .. 89", "--lat", "89.8", "--lon", "10", "--from", "2020-01-01", "--to", "2020-01-02")]
    [InlineData(2, "--lat 95 is out of range -90 .. 90", "--lat", "95", "--lon", "10", "--from", "2020-01-01", "--to", "2020-01-02")]
    [InlineData(2, "--lon -200 is out of range -180 .. 360", "--lat", "0", "--lon", "-200", "--from", "2020-01-01", "--to", "2020-01-02")]
    [InlineData(2, "--from '2020-13-01' is not a date (YYYY-MM-DD)", "--lat", "0", "--lon", "0", "--from", "2020-13-01", "--to", "2020-01-02")]
    [InlineData(2, "--lat 'north' is not a number of degrees", "--lat", "north", "--lon", "0", "--from", "2020-01-01", "--to", "2020-01-02")]
    [InlineData(2, "--to is required", "--lat", "0", "--lon", "0", "--from", "2020-01-01")]
    [InlineData(2, "unknown argument '--depth'", "--lat", "0", "--lon", "0", "--from", "2020-01-01", "--to", "2020-01-02", "--depth", "3")]
    public async Task BadPointsAndDatesAreClearErrors(int code, string message, params string[] args)
    {
        var bucket = await DatasetAsync();
        var r = await RunAsync(["--url", $"s3://{bucket}/zarr-v1", .. args]);
        Assert.Equal(code, r.Code);
        Assert.Contains($"MurSst: error: {message}", r.Error, StringComparison.Ordinal);
        Assert.Empty(DataLines(r.Out));
    }

    [Fact]
    public async Task ADatasetThatIsNotThereIsAnErrorNotAnEmptySeries()
    {
        var bucket = await DatasetAsync();
        var r = await RunAsync("--url", $"s3://{bucket}/no-such-zarr", "--lat", "0", "--lon", "0", "--from", "2020-01-01", "--to", "2020-01-02");
        Assert.Equal(1, r.Code);
        Assert.Contains("MurSst: error:", r.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-zarr", r.Error, StringComparison.Ordinal);
    }
}
