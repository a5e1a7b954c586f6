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
