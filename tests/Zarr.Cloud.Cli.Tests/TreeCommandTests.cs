namespace Zarr.Cloud.Cli.Tests;

public class TreeCommandTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ListsNestedNodesSortedWithShapesAndTypes(int format)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir.Path, format);
        var r = await CliRunner.RunOkAsync("tree", dir.Path);
        Assert.Equal(
        [
            $"{dir.Path} (group) v{format}",
            "├── lat [12] float64",
            "└── sub (group)",
            "    ├── deep (group)",
            "    │   └── x [3, 4] int16",
            "    └── y [5] uint8",
        ], r.OutLines);
    }

    [Fact]
    public async Task DepthLimitsTheLevels()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir.Path, 3);
        var r = await CliRunner.RunOkAsync("tree", dir.Path, "--depth", "1");
        Assert.Equal(3, r.OutLines.Length);
        Assert.DoesNotContain(r.OutLines, l => l.Contains("deep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnArrayIsOneLine()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 2);
        var r = await CliRunner.RunOkAsync("tree", dir.Path);
        Assert.Equal([$"{dir.Path} [12, 10] float32 v2"], r.OutLines);
    }
}
