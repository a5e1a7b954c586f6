using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>Sharded v3 arrays through info and copy: shards kept where they can be, else unwrapped into chunks.</summary>
public class ShardedCopyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int[]> WriteShardedAsync(string folder)
    {
        var values = Enumerable.Range(0, 10 * 13).Select(i => i * 3 - 50).ToArray();
        var array = await ZarrArray.CreateAsync(new FileSystemStore(folder), "", new ZarrArrayDefinition
        {
            Shape = [10, 13],
            ChunkShape = [2, 3],
            ShardShape = [4, 6],
            DataType = ZarrDataType.Int32,
            Compressor = new ZstdCodec(2),
        }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<int>(values, 10, 13), Ct);
        return values;
    }

    [Fact]
    public async Task InfoShowsInnerChunksAndShards()
    {
        using var dir = new TempFolder();
        await WriteShardedAsync(dir.Path);
        var o = JsonNode.Parse((await CliRunner.RunOkAsync("info", "--json", dir.Path)).Out)!;
        Assert.Equal("[2,3]", o["chunks"]!.ToJsonString());
        Assert.Equal("[4,6]", o["shards"]!.ToJsonString());
        Assert.Equal("sharding_indexed", Assert.Single(o["codecs"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACopyKeepsTheShardsAndTheirCompressor()
    {
        using var dir = new TempFolder();
        var values = await WriteShardedAsync(dir["src"]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"]);
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        var sharding = Assert.IsType<ShardingCodec>(copy.Pipeline.ArrayToBytes);
        Assert.Equal([4, 6], copy.ChunkShape);
        Assert.Equal([2, 3], sharding.InnerChunkShape);
        Assert.Equal(2, Assert.IsType<ZstdCodec>(Assert.Single(sharding.InnerPipeline.BytesToBytes)).Level);
        Assert.Equal(values, (await copy.ReadAsync<int>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task NewShardsThatHoldWholeInnerChunksKeepSharding()
    {
        using var dir = new TempFolder();
        var values = await WriteShardedAsync(dir["src"]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--chunks", "10,9", "--codec", "gzip:2");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        var sharding = Assert.IsType<ShardingCodec>(copy.Pipeline.ArrayToBytes);
        Assert.Equal([10, 9], copy.ChunkShape);
        Assert.IsType<GzipCodec>(Assert.Single(sharding.InnerPipeline.BytesToBytes));
        Assert.Equal(values, (await copy.ReadAsync<int>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task ChunksThatCutInnerChunksUnshard()
    {
        using var dir = new TempFolder();
        var values = await WriteShardedAsync(dir["src"]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--chunks", "5,5");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.IsType<BytesCodec>(copy.Pipeline.ArrayToBytes);
        Assert.Equal([5, 5], copy.ChunkShape);
        Assert.Equal(2, Assert.IsType<ZstdCodec>(Assert.Single(copy.Pipeline.BytesToBytes)).Level);
        Assert.Equal(values, (await copy.ReadAsync<int>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task ToV2TheInnerChunksAndCompressorBecomeTheArrays()
    {
        using var dir = new TempFolder();
        var values = await WriteShardedAsync(dir["src"]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", "2");
        var copy = await ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal(2, copy.ZarrFormat);
        Assert.Equal([2, 3], copy.ChunkShape);
        Assert.Equal(2, Assert.IsType<ZstdCodec>(Assert.Single(copy.Pipeline.BytesToBytes)).Level);
        Assert.Equal(values, (await copy.ReadAsync<int>(Selection.All, Ct)).Data);
    }
}

public class ShardsOptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ShardsWritesAShardedV3ArrayThatInfoDescribes()
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir["src"], 2, rows: 23, cols: 17, chunks: [5, 4]);
        await CliRunner.RunOkAsync("copy", dir["src"], dir["dst"], "--format", "3", "--chunks", "4,4", "--shards", "8,16", "--codec", "zstd:1");
        var copy = await Zarr.Cloud.Arrays.ZarrArray.OpenAsync(dir["dst"], cancellationToken: Ct);
        Assert.Equal([8, 16], copy.ChunkShape);
        var sharding = Assert.IsType<Zarr.Cloud.Codecs.Sharding.ShardingCodec>(copy.Pipeline.ArrayToBytes);
        Assert.Equal([4, 4], sharding.InnerChunkShape);
        Assert.Equal(data.Data, (await copy.ReadAsync<float>(Zarr.Cloud.Indexing.Selection.All, Ct)).Data);
        Assert.Equal(3 * 2, Directory.GetFiles(Path.Combine(dir["dst"], "c"), "*", SearchOption.AllDirectories).Length);
        var info = await CliRunner.RunOkAsync("info", dir["dst"], "--json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(info.Out)!;
        Assert.Equal("[4,4]", json["chunks"]!.ToJsonString());
        Assert.Equal("[8,16]", json["shards"]!.ToJsonString());
    }

    [Theory]
    [InlineData("--shards", "7,16", "not a multiple")]
    [InlineData("--shards", "8", "has 1 values")]
    public async Task BadShardsAreUsageErrors(string option, string value, string message)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 3, rows: 23, cols: 17, chunks: [4, 4]);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardsIntoV2IsRefused()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 2, rows: 8, cols: 8, chunks: [4, 4]);
        var r = await CliRunner.RunAsync("copy", dir["src"], dir["dst"], "--shards", "8,8");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--format 3", r.Error, StringComparison.Ordinal);
    }
}
