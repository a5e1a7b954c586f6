using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Zarr.Cloud.Caching;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>The service's chunk cache: the DI singleton is every dataset's, and a chunk asked twice is read once.</summary>
public sealed class ChunkCacheTests(DemoData demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryDataset_IsOpenedWithTheServicesChunkCache()
    {
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, [$"Zarr:Datasets:again:Url={demo.Path}"]);
        var cache = host.Services.GetRequiredService<ChunkCache>();
        var datasets = host.Services.GetRequiredService<IZarrDatasets>();
        Assert.Equal(["again", "demo"], datasets.Names.Order(StringComparer.Ordinal));
        foreach (var name in datasets.Names)
        {
            Assert.Same(cache, (await datasets.OpenAsync(name, Ct)).Options.ChunkCache);
            Assert.Same(cache, (await datasets.OpenArrayAsync(name, "analysed_sst", Ct)).Options.ChunkCache);
        }
    }

    [Fact]
    public async Task TheSameChunkTwice_IsReadOnceThenAHit_AndApiStatsSaysSo()
    {
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, ["Zarr:ChunkCacheBytes=1000000"]);
        var before = await host.Client.GetFromJsonAsync<ChunkCacheStats>("api/stats", Ct);
        Assert.Equal(new ChunkCacheStats(0, 0, 0, 0, 0, 1_000_000), before);
        Assert.Null(before!.HitRatio);

        var first = await host.Client.GetByteArrayAsync(TelemetryTests.OneChunk, Ct);
        var afterFirst = await host.Client.GetFromJsonAsync<ChunkCacheStats>("api/stats", Ct);
        Assert.Equal(new ChunkCacheStats(0, 1, 0, 1, 5 * 60 * 60 * 2, 1_000_000), afterFirst);

        var second = await host.Client.GetByteArrayAsync(TelemetryTests.OneChunk, Ct);
        Assert.Equal(first, second);
        var afterSecond = await host.Client.GetFromJsonAsync<ChunkCacheStats>("api/stats", Ct);
        Assert.Equal(new ChunkCacheStats(1, 1, 0, 1, 5 * 60 * 60 * 2, 1_000_000), afterSecond);
        Assert.Equal(0.5, afterSecond!.HitRatio);
        // The counters are the singleton's.
        Assert.Equal(1, host.Services.GetRequiredService<ChunkCache>().Hits);
    }
}
