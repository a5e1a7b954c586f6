using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Tests;

public class CopyCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task V2ToV3WithNewChunksAndCodecReadsBackEqual()
    {
        using var dir = new TempFolder();
        var src = dir["src"];
        var data = await Fixtures.WriteFloatGridAsync(src, 2, rows: 23, cols: 17, chunks: [5, 4], attributes: new JsonObject { ["units"] = "K" });
        var r = await CliRunner.RunOkAsync("copy", src, dir["dst"], "--format", "3", "--chunks", "7,3", "--codec", "zstd:5");
        Assert.Contains("array / [23, 17] float32 v3 chunks [7, 3] codecs [bytes, zstd]", r.Out, StringComparison.Ordinal);
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(3, copy.ZarrFormat);
        Assert.Equal([7, 3], copy.ChunkShape);
        var zstd = Assert.IsType<ZstdCodec>(Assert.Single(copy.Pipeline.BytesToBytes));
        Assert.Equal(5, zstd.Level);
        Assert.Equal("K", copy.Attributes["units"]!.GetValue<string>());
        Assert.Equal(data.Data, (await copy.ReadAsync<float>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task V3ToV2WithNewChunksAndCodecReadsBackEqual()
    {
        using var dir = new TempFolder();
        var src = dir["src"];
        var values = Enumerable.Range(0, 5 * 6 * 7).Select(i => i * 1000 - 7).ToArray();
        await Fixtures.WriteAsync(src, "", new NDArray<int>(values, 5, 6, 7), ZarrDataType.Int32, 3, [2, 4, 7], compressor: new ZstdCodec(1), attributes: new JsonObject { ["a"] = 1 }, fillValue: -1);
        await CliRunner.RunOkAsync("copy", src, dir["dst"], "--format", "2", "--chunks", "3,3,3", "--codec", "zlib:3");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(2, copy.ZarrFormat);
        Assert.Equal([3, 3, 3], copy.ChunkShape);
        Assert.Equal(3, Assert.IsType<ZlibCodec>(Assert.Single(copy.Pipeline.BytesToBytes)).Level);
        Assert.Equal(-1, (int)copy.FillValue.ToObject()!);
        Assert.Equal(1, copy.Attributes["a"]!.GetValue<int>());
        Assert.Equal(values, (await copy.ReadAsync<int>(Selection.All, Ct)).Data);
        var zarray = JsonNode.Parse(File.ReadAllText(Path.Combine(dir["dst"], ".zarray")))!;
        Assert.Equal("zlib", zarray["compressor"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task DefaultsKeepFormatChunksAndCompressor()
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], 2, compressor: new ZlibCodec(4));
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"]);
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(2, copy.ZarrFormat);
        Assert.Equal([5, 4], copy.ChunkShape);
        Assert.Equal(4, Assert.IsType<ZlibCodec>(Assert.Single(copy.Pipeline.BytesToBytes)).Level);
        Assert.Equal(data.Data, (await copy.ReadAsync<float>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task CodecNoneWritesUncompressedChunks()
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], 3);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--codec", "none");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Empty(copy.Pipeline.BytesToBytes);
        Assert.Equal(5 * 4 * 4, new FileInfo(Path.Combine(dir["dst"], "c", "0", "0")).Length);
        Assert.Equal(data.Data, (await copy.ReadAsync<float>(Selection.All, Ct)).Data);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 3)]
    public async Task AGroupIsCopiedRecursivelyWithAttributes(int from, int to)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], from);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", to.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var root = await ZarrGroup.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(to, root.ZarrFormat);
        Assert.Equal("fixture", root.Attributes["title"]!.GetValue<string>());
        Assert.Equal(["lat", "sub"], await root.ListChildrenAsync(Ct));
        var sub = await root.OpenGroupAsync("sub", Ct);
        Assert.Equal("nested", sub.Attributes["kind"]!.GetValue<string>());
        Assert.Equal(3, sub.Attributes["n"]!.GetValue<int>());
        Assert.Equal(["deep", "y"], await sub.ListChildrenAsync(Ct));
        var lat = await root.OpenArrayAsync("lat", Ct);
        Assert.Equal("degrees_north", lat.Attributes["units"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 0.5), (await lat.ReadAsync<double>(Selection.All, Ct)).Data);
        var x = await root.OpenArrayAsync("sub/deep/x", Ct);
        Assert.Equal(to, x.ZarrFormat);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (short)(i - 6)), (await x.ReadAsync<short>(Selection.All, Ct)).Data);
        var tree = await CliRunner.RunOkAsync("tree", dir["dst"]);
        Assert.Equal((await CliRunner.RunOkAsync("tree", dir["src"])).OutLines[1..], tree.OutLines[1..]);
    }

    [Fact]
    public async Task ConsolidatedMetadataIsWrittenAgain()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], 2);
        await (await ZarrGroup.OpenAsync(dir["src"], cancellationToken: Ct)).ConsolidateMetadataAsync(Ct);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"]);
        Assert.True(File.Exists(Path.Combine(dir["dst"], ".zmetadata")));
        Assert.True((await ZarrGroup.OpenAsync(dir["dst"], cancellationToken: Ct)).IsConsolidated);
    }

    [Fact]
    public async Task SmallBlocksCopyTheSameData()
    {
        using var dir = new TempFolder();
        var values = Enumerable.Range(0, 9 * 13).Select(i => (ushort)(i * 7)).ToArray();
        await Fixtures.WriteAsync(dir["src"], "", new NDArray<ushort>(values, 9, 13), ZarrDataType.UInt16, 3, [4, 5]);
        foreach (var block in new[] { "1", "30", "200" })
        {
            var dst = dir["dst" + block];
            await CliRunner.RunOkAsync("copy", dir["src"], dst, "--chunks", "2,3", "--block-bytes", block, "--concurrency", "3");
            Assert.Equal(values, (await Fixtures.ReadAllAsync<ushort>(dst)).Data);
        }
    }

    [Fact]
    public async Task StringsAndFixedLengthTypesSurviveAFormatRoundTrip()
    {
        using var dir = new TempFolder();
        string[] text = ["a", "", "héllo", "日本語"];
        await Fixtures.WriteAsync(dir["s"], "", new NDArray<string>(text, 4), ZarrDataType.String, 3, [3]);
        await CliRunner.RunOkAsync("copy", dir["s"], dir["s2"], "--format", "2");
        await CliRunner.RunOkAsync("copy", dir["s2"], dir["s3"], "--format", "3", "--chunks", "1");
        Assert.Equal(text, (await Fixtures.ReadAllAsync<string>(dir["s3"])).Data);

        long[] times = [0, 86_400, long.MinValue];
        await Fixtures.WriteAsync(dir["t"], "", new NDArray<long>(times, 3), ZarrDataType.DateTime64("s"), 2, [2], bigEndian: true);
        await CliRunner.RunOkAsync("copy", dir["t"], dir["t2"], "--format", "3");
        var t2 = await ZarrArray.OpenAsync(dir["t2"], cancellationToken: Ct);
        Assert.Equal(ZarrDataType.DateTime64("s"), t2.DataType);
        Assert.Equal(times, (await t2.ReadAsync<long>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task XarrayDimensionNamesMoveBetweenAttributeAndMetadata()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["v2"], 2, attributes: new JsonObject { ["_ARRAY_DIMENSIONS"] = new JsonArray("y", "x"), ["units"] = "m" });
        await CliRunner.RunOkAsync("copy", dir["v2"], dir["v3"], "--format", "3");
        var v3 = await ZarrArray.OpenAsync(dir["v3"], cancellationToken: Ct);
        Assert.Equal(new string?[] { "y", "x" }, v3.Metadata.DimensionNames);
        Assert.False(v3.Attributes.ContainsKey("_ARRAY_DIMENSIONS"));
        Assert.Equal("m", v3.Attributes["units"]!.GetValue<string>());
        await CliRunner.RunOkAsync("copy", dir["v3"], dir["back"], "--format", "2");
        var back = await ZarrArray.OpenAsync(dir["back"], cancellationToken: Ct);
        Assert.Equal("[\"y\",\"x\"]", back.Attributes["_ARRAY_DIMENSIONS"]!.ToJsonString());
    }

    [Fact]
    public async Task CopyToV2IsReadByZarrPython()
    {
        NumPy.Require();
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], 3, rows: 9, cols: 7, compressor: new ZstdCodec(1));
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", "2", "--codec", "zlib", "--chunks", "4,4");
        var output = NumPy.Eval("import sys, zarr, numpy as np; a = zarr.open_array(sys.argv[1], mode='r'); print(a.dtype.str, a.chunks, float(np.nansum(a[:])), int(np.isnan(a[:]).sum()))", dir["dst"]);
        Assert.Equal($"<f4 (4, 4) {data.Data.Where(v => !float.IsNaN(v)).Sum():0.0} 1", output.Trim());
    }

    [Fact]
    public async Task AnExistingDestinationNeedsOverwrite()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 3);
        await Fixtures.WriteHierarchyAsync(dir["dst"], 2);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--overwrite", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--overwrite");
        var sub = Path.Combine(dir["dst"], "sub");
        Assert.False(Directory.Exists(sub) && Directory.EnumerateFiles(sub, "*", SearchOption.AllDirectories).Any());
        Assert.Equal(3, (await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct)).ZarrFormat);
    }

    [Fact]
    public async Task OverwriteNeverDeletesAFolderThatIsNotZarr()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 3);
        Directory.CreateDirectory(dir["notes"]);
        File.WriteAllText(Path.Combine(dir["notes"], "keep.txt"), "precious");
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["notes"], "--overwrite");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.True(File.Exists(Path.Combine(dir["notes"], "keep.txt")));
    }

    [Fact]
    public async Task CopyIntoTheSourceIsRefused()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], 3);
        var r = await CliRunner.RunAsync("copy", dir["src"], Path.Combine(dir["src"], "sub", "copy"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("overlap", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--codec", "lz4", "lz4")]
    [InlineData("--codec", "gzip:12", "gzip:12")]
    [InlineData("--codec", "zstd:x", "zstd:x")]
    [InlineData("--format", "4", "--format")]
    [InlineData("--chunks", "3,0", "3,0")]
    [InlineData("--chunks", "3", "1 values")]
    public async Task BadOptionsAreUsageErrors(string option, string value, string expected)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 3);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], option, value);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("zarr: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["dst"]) && Directory.EnumerateFileSystemEntries(dir["dst"]).Any());
    }

    [Fact]
    public async Task ChunksForAGroupIsAUsageError()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], 3);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], "--chunks", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("group", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
    }
}
