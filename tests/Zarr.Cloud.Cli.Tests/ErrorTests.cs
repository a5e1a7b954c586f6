namespace Zarr.Cloud.Cli.Tests;

public class ErrorTests
{
    private static string OneErrorLine(CliResult r, int exitCode)
    {
        Assert.True(r.ExitCode == exitCode, r.ToString());
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("zarr: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        return line;
    }

    [Theory]
    [InlineData("info")]
    [InlineData("tree")]
    [InlineData("get")]
    public async Task AMissingNodeIsOneLineAndExitCodeOne(string command)
    {
        using var dir = new TempFolder();
        var line = OneErrorLine(await CliRunner.RunAsync(command, dir["nothing-here"]), 1);
        Assert.Contains("nothing-here", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerboseAddsTheStackTrace()
    {
        using var dir = new TempFolder();
        var r = await CliRunner.RunAsync("info", dir["missing"], "--verbose");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("zarr: error: ", r.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("   at ", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1:x")]
    [InlineData("1,,2")]
    [InlineData("::-1")]
    [InlineData("1,2,3")]
    public async Task ABadSelectionIsAUsageErrorNamingIt(string selection)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        var line = OneErrorLine(await CliRunner.RunAsync("get", dir.Path, "--select=" + selection), 2);
        Assert.Contains(selection, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("-13")]
    [InlineData("0,10")]
    public async Task AnIndexOutOfBoundsIsAUsageError(string selection)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        var line = OneErrorLine(await CliRunner.RunAsync("get", dir.Path, "--select=" + selection, "-o", dir["x.npy"]), 2);
        Assert.Contains("out of bounds", line, StringComparison.Ordinal);
        Assert.Contains(selection, line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["x.npy"]));
    }

    [Fact]
    public async Task CorruptDataIsOneLineNamingTheChunk()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 2);
        File.WriteAllBytes(Path.Combine(dir.Path, "1.2"), [0x1f, 0x8b, 1, 2, 3]);
        var line = OneErrorLine(await CliRunner.RunAsync("get", dir.Path), 1);
        Assert.Contains("1.2", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedMetadataIsOneLine()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["zarr.json"], "{\"zarr_format\": 3, \"node_type\": \"array\", ");
        OneErrorLine(await CliRunner.RunAsync("info", dir.Path), 1);
    }

    [Fact]
    public async Task AGroupIsNotAnArrayForGet()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir.Path, 3);
        var line = OneErrorLine(await CliRunner.RunAsync("get", dir.Path), 1);
        Assert.Contains("group", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOutputFormatIsAUsageError()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        Assert.Contains(".npy", OneErrorLine(await CliRunner.RunAsync("get", dir.Path, "-o", dir["x.txt"]), 2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSchemeIsAUsageError()
    {
        Assert.Contains("nope", OneErrorLine(await CliRunner.RunAsync("info", "nope://bucket/x"), 2), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("info")]
    [InlineData("get", "a", "--no-such-option")]
    [InlineData("copy", "a")]
    public async Task CommandLineErrorsAreUsageErrors(params string[] args)
    {
        OneErrorLine(await CliRunner.RunAsync(args), 2);
    }

    [Fact]
    public async Task HelpAndVersionSucceed()
    {
        var help = await CliRunner.RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "info", "tree", "get", "copy" }) Assert.Contains(command, help.Out, StringComparison.Ordinal);
        var getHelp = await CliRunner.RunAsync("get", "--help");
        Assert.Equal(0, getHelp.ExitCode);
        Assert.Contains("--select", getHelp.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("--version")).ExitCode);
    }
}
