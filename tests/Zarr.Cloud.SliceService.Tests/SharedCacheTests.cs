using Zarr.Cloud.DependencyInjection.Tests;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// ConnectionStrings:redis (what deploy/ sets) turns on the second-level chunk cache: two instances of the service
/// share a real redis-server, and the second serves a chunk the first fetched even once the chunk is gone from the store.
/// </summary>
public sealed class SharedCacheTests(RedisFixture redis, DemoData demo) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task TwoInstances_ShareTheChunksTheyFetchThroughRedis()
    {
        redis.Require();
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "demo.zarr");
        foreach (var file in Directory.EnumerateFiles(demo.Path, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(path, Path.GetRelativePath(demo.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var chunk = Path.Combine(path, "analysed_sst", "0.0.0");
        Assert.True(File.Exists(chunk), $"{chunk} is not the first chunk's file");
        string[] shared = [$"ConnectionStrings:redis={redis.Configuration}"];

        await using var first = await SliceServiceHost.StartAsync(path, DemoData.Days, shared);
        var fromFirst = await first.Client.GetByteArrayAsync(TelemetryTests.OneChunk, ct);
        File.Delete(chunk);

        await using var second = await SliceServiceHost.StartAsync(path, DemoData.Days, shared);
        Assert.Equal(fromFirst, await second.Client.GetByteArrayAsync(TelemetryTests.OneChunk, ct));

        // Without the shared cache, the deleted chunk reads as the fill value: what the second instance served came from Redis.
        await using var alone = await SliceServiceHost.StartAsync(path, DemoData.Days);
        var fill = await alone.Client.GetByteArrayAsync(TelemetryTests.OneChunk, ct);
        Assert.Equal(fromFirst.Length, fill.Length);
        Assert.All(Enumerable.Range(0, fill.Length / 2), i => Assert.Equal(-32768, BitConverter.ToInt16(fill, 2 * i)));
        Assert.NotEqual(fromFirst, fill);
    }
}
