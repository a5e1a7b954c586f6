using System.Text.Json.Nodes;
using Zarr.Cloud.Codecs;

namespace Zarr.Cloud.Cli.Tests;

public class InfoCommandTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task JsonDescribesAnArray(int format)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, format, compressor: new ZstdCodec(3), attributes: new JsonObject { ["units"] = "K", ["scale"] = 0.5 });
        var r = await CliRunner.RunOkAsync("info", dir.Path, "--json");
        var o = JsonNode.Parse(r.Out)!.AsObject();
        Assert.Equal("array", o["node_type"]!.GetValue<string>());
        Assert.Equal(format, o["zarr_format"]!.GetValue<int>());
        Assert.Equal([12L, 10L], o["shape"]!.AsArray().Select(x => x!.GetValue<long>()));
        Assert.Equal([5, 4], o["chunks"]!.AsArray().Select(x => x!.GetValue<int>()));
        Assert.Equal("float32", o["dtype"]!.GetValue<string>());
        Assert.Equal(0, o["fill_value"]!.GetValue<double>());
        var codecs = o["codecs"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["bytes", "zstd"], codecs);
        Assert.Equal(3, o["codecs"]![1]!["configuration"]!["level"]!.GetValue<int>());
        Assert.Equal("K", o["attributes"]!["units"]!.GetValue<string>());
        Assert.Equal(0.5, o["attributes"]!["scale"]!.GetValue<double>());
    }

    [Fact]
    public async Task TextDescribesAnArray()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3, attributes: new JsonObject { ["units"] = "K" });
        var r = await CliRunner.RunOkAsync("info", dir.Path);
        Assert.Contains(r.OutLines, l => l.StartsWith("node_type:", StringComparison.Ordinal) && l.EndsWith("array", StringComparison.Ordinal));
        Assert.Contains(r.OutLines, l => l.StartsWith("shape:", StringComparison.Ordinal) && l.EndsWith("[12, 10]", StringComparison.Ordinal));
        Assert.Contains(r.OutLines, l => l.StartsWith("dtype:", StringComparison.Ordinal) && l.EndsWith("float32", StringComparison.Ordinal));
        Assert.Contains(r.OutLines, l => l.StartsWith("codecs:", StringComparison.Ordinal) && l.Contains("\"gzip\"", StringComparison.Ordinal));
        Assert.Contains(r.OutLines, l => l.StartsWith("attributes:", StringComparison.Ordinal) && l.Contains("\"units\":\"K\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task JsonDescribesAGroup(int format)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir.Path, format);
        var o = JsonNode.Parse((await CliRunner.RunOkAsync("info", "--json", dir.Path)).Out)!.AsObject();
        Assert.Equal("group", o["node_type"]!.GetValue<string>());
        Assert.Equal(format, o["zarr_format"]!.GetValue<int>());
        Assert.Equal(2, o["children"]!.GetValue<int>());
        Assert.Equal("fixture", o["attributes"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task APathIntoAHierarchyOpensTheNodeThere()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir.Path, 3);
        var o = JsonNode.Parse((await CliRunner.RunOkAsync("info", "--json", Path.Combine(dir.Path, "sub", "deep", "x"))).Out)!.AsObject();
        Assert.Equal("int16", o["dtype"]!.GetValue<string>());
        var g = JsonNode.Parse((await CliRunner.RunOkAsync("info", "--json", "file://" + Path.Combine(dir.Path, "sub"))).Out)!.AsObject();
        Assert.Equal("nested", g["attributes"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, g["children"]!.GetValue<int>());
    }
}
