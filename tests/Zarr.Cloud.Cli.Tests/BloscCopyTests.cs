using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Tests;

/// <summary><c>zarr copy --codec blosc[:cname[:clevel[:shuffle]]]</c>.</summary>
public class BloscCopyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2, "blosc", BloscCompressor.LZ4, 5, BloscShuffleMode.Shuffle)]
    [InlineData(3, "blosc:zstd", BloscCompressor.Zstd, 5, BloscShuffleMode.Shuffle)]
    [InlineData(3, "blosc:blosclz:9:bitshuffle", BloscCompressor.BloscLZ, 9, BloscShuffleMode.BitShuffle)]
    [InlineData(2, "blosc:zlib:1:0", BloscCompressor.Zlib, 1, BloscShuffleMode.NoShuffle)]
    [InlineData(3, "BLOSC:lz4hc::2", BloscCompressor.LZ4HC, 5, BloscShuffleMode.BitShuffle)]
    public async Task CopiesWithBlosc(int format, string codec, BloscCompressor cname, int clevel, BloscShuffleMode shuffle)
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], format == 2 ? 3 : 2, rows: 40, cols: 30, chunks: [16, 16], compressor: new ZstdCodec(1));
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", format.ToString(System.Globalization.CultureInfo.InvariantCulture), "--codec", codec);
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        var blosc = Assert.IsType<BloscCodec>(Assert.Single(copy.Pipeline.BytesToBytes));
        Assert.Equal((cname, clevel, shuffle, 4), (blosc.Compressor, blosc.Level, blosc.Shuffle, blosc.TypeSize));
        Assert.Equal(data.Data, (await copy.ReadAsync<float>(Selection.All, Ct)).Data);
        if (format == 3)
        {
            var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir["dst"], "zarr.json")))!;
            Assert.Equal(4, meta["codecs"]![1]!["configuration"]!["typesize"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task TheTypeSizeIsEachArraysItemSize()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir["src"], "", new NDArray<short>(Enumerable.Range(0, 100).Select(i => (short)i).ToArray(), 100), ZarrDataType.Int16, 2, [30]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--codec", "blosc:lz4:5:shuffle");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(2, Assert.IsType<BloscCodec>(Assert.Single(copy.Pipeline.BytesToBytes)).TypeSize);
    }

    [Theory]
    [InlineData("blosc:lz5", "lz5")]
    [InlineData("blosc:lz4:10", "clevel")]
    [InlineData("blosc:lz4:x", "'x'")]
    [InlineData("blosc:lz4:5:twice", "twice")]
    [InlineData("blosc:lz4:5:shuffle:1", "blosc[:CNAME")]
    public async Task BadBloscSettingsAreUsageErrors(string value, string expected)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 3);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], "--codec", value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, Assert.Single(r.ErrorLines), StringComparison.Ordinal);
    }
}
