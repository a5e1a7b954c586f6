using System.Globalization;
using System.Text.RegularExpressions;

namespace Zarr.Cloud.Cli.Tests;

public partial class StatsTests
{
    [GeneratedRegex(@"^requests=(\d+) bytes=(\d+) seconds=(\d+\.\d{3})$")]
    private static partial Regex StatsLine();

    private static (long Requests, long Bytes) ParseLastLine(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        var m = StatsLine().Match(r.ErrorLines[^1]);
        Assert.True(m.Success, $"last stderr line: '{r.ErrorLines[^1]}'");
        return (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GetPrintsRequestsBytesAndSecondsAsTheLastStderrLine()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        var (requests, bytes) = ParseLastLine(await CliRunner.RunAsync("get", dir.Path, "--stats", "-o", dir["a.npy"]));
        // zarr.json plus the 9 chunks of a 12x10 array in chunks of 5x4.
        Assert.True(requests >= 10, $"requests={requests}");
        Assert.True(bytes > 0);
        var (fewer, _) = ParseLastLine(await CliRunner.RunAsync("get", dir.Path, "--select", "0,0", "--stats"));
        Assert.True(fewer < requests, $"one element cost {fewer} requests, everything {requests}");
    }

    [Fact]
    public async Task CopyPrintsStatsOfTheSourceStore()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], 2);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], "--stats", "--format", "3");
        var (requests, bytes) = ParseLastLine(r);
        Assert.True(requests > 0);
        Assert.True(bytes > 0);
    }

    [Fact]
    public async Task WithoutStatsStderrIsEmpty()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 2);
        var r = await CliRunner.RunAsync("get", dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
    }
}
