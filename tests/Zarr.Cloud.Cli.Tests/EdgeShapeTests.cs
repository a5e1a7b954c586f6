using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>Arrays of rank 0 and arrays with an empty axis, through get and copy.</summary>
public class EdgeShapeTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AZeroDimensionalArray(int format)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir["src"], "", new NDArray<double>([2.5]), ZarrDataType.Float64, format, []);
        await CliRunner.RunOkAsync("get", dir["src"], "-o", dir["x.npy"]);
        var (header, bytes) = GetCommandTests.ReadNpy(dir["x.npy"]);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", header);
        Assert.Equal(2.5, BitConverter.ToDouble(bytes));
        await CliRunner.RunOkAsync("get", dir["src"], "-o", dir["x.json"]);
        Assert.Equal("{\"shape\":[],\"dtype\":\"float64\",\"data\":[2.5]}", File.ReadAllText(dir["x.json"]).Trim());
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", format == 2 ? "3" : "2");
        var back = await Fixtures.ReadAllAsync<double>(dir["dst"]);
        Assert.Equal(new[] { 2.5 }, back.Data);
    }

    [Fact]
    public async Task AnArrayWithAnEmptyAxis()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir["src"], "", new NDArray<int>([], 0, 4), ZarrDataType.Int32, 3, [2, 2]);
        await CliRunner.RunOkAsync("get", dir["src"], "-o", dir["x.npy"]);
        var (header, bytes) = GetCommandTests.ReadNpy(dir["x.npy"]);
        Assert.Equal("{'descr': '<i4', 'fortran_order': False, 'shape': (0, 4), }", header);
        Assert.Empty(bytes);
        await CliRunner.RunOkAsync("get", dir["src"], "-o", dir["x.json"]);
        var json = JsonNode.Parse(File.ReadAllText(dir["x.json"]))!;
        Assert.Equal("[0,4]", json["shape"]!.ToJsonString());
        Assert.Empty(json["data"]!.AsArray());
        Assert.Contains("count: 0", (await CliRunner.RunOkAsync("get", dir["src"])).OutLines);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", "2");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([0L, 4L], copy.Shape);
        Assert.Empty((await copy.ReadAsync<int>(Selection.All, TestContext.Current.CancellationToken)).Data);
    }

    [Fact]
    public async Task AnEmptySliceWritesAnEmptyCsv()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        await CliRunner.RunOkAsync("get", dir.Path, "--select", "5:5", "-o", dir["e.csv"]);
        Assert.Equal("", File.ReadAllText(dir["e.csv"]));
    }
}
