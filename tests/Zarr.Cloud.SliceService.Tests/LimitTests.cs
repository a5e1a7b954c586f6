using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>Rate limiting, request timeouts and cancellation of store reads when the client goes away.</summary>
public sealed class LimitTests(DemoData demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string OneChunk = "api/datasets/demo/arrays/analysed_sst/slice?format=bin&sel=0,0:60,0:60";

    [Fact]
    public async Task RateLimit_AnswersOverTheBucket429WithRetryAfter()
    {
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days,
            ["SliceService:RateLimit:TokenLimit=3", "SliceService:RateLimit:TokensPerSecond=1", "SliceService:RateLimit:ReplenishmentSeconds=3600"]);
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/datasets", Ct)).StatusCode);
        using var response = await host.Client.GetAsync(OneChunk, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("SliceService:RateLimit", await response.Content.ReadAsStringAsync(Ct));
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After header");
        // The page and the OpenAPI document are not rate limited.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/", Ct)).StatusCode);
    }

    private static Task<SliceServiceHost> SlowHostAsync(string demoPath, SlowChunkStore store, params string[] settings) =>
        SliceServiceHost.StartAsync(demoPath, DemoData.Days, settings, services => services.AddSingleton<IZarrDatasets>(new StoreDatasets(store)));

    [Fact]
    public async Task ClientGoingAway_CancelsTheStoreReads()
    {
        var store = new SlowChunkStore(new FileSystemStore(demo.Path));
        await using var host = await SlowHostAsync(demo.Path, store);
        using var client = new CancellationTokenSource();
        var request = host.Client.GetAsync(OneChunk, HttpCompletionOption.ResponseHeadersRead, client.Token);
        await store.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, store.Cancelled);
        await client.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await store.ReadCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(store.Cancelled >= 1);
    }

    [Fact]
    public async Task RequestTimeout_Answers504AndCancelsTheStoreReads()
    {
        var store = new SlowChunkStore(new FileSystemStore(demo.Path));
        await using var host = await SlowHostAsync(demo.Path, store, "SliceService:RequestTimeoutSeconds=1");
        using var response = await host.Client.GetAsync(OneChunk, Ct);
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(store.ReadStarted.Task.IsCompleted);
        await store.ReadCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Theory]
    [InlineData("SliceService:MaxCellsPerRequest=0", "SliceService:MaxCellsPerRequest must be at least 1")]
    [InlineData("SliceService:RequestTimeoutSeconds=-1", "SliceService:RequestTimeoutSeconds")]
    [InlineData("SliceService:RateLimit:TokenLimit=-5", "SliceService:RateLimit:TokenLimit")]
    [InlineData("SliceService:RateLimit:ReplenishmentSeconds=0", "SliceService:RateLimit:ReplenishmentSeconds")]
    [InlineData("Demo:Days=0", "Demo:Days")]
    public async Task BadSettings_FailAtStartNamingTheKey(string setting, string message)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await (await SliceServiceHost.StartAsync(Path.Combine(demo.Path, "..", "other-" + Guid.NewGuid().ToString("N")), DemoData.Days, [setting])).DisposeAsync());
        Assert.IsNotType<NullReferenceException>(e);
        Assert.Contains(message, e.Message);
    }
}
