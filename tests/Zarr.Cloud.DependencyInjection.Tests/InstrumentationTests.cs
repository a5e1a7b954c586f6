using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Zarr.Cloud.Diagnostics;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.DependencyInjection.Tests;

public sealed class InstrumentationTests
{
    [Fact]
    public async Task Reads_through_the_datasets_reach_OpenTelemetry()
    {
        var activities = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddZarrCloudInstrumentation().AddInMemoryExporter(activities).Build();
        using var meter = Sdk.CreateMeterProviderBuilder().AddZarrCloudInstrumentation().AddInMemoryExporter(metrics).Build();
        Assert.True(ZarrCloudTelemetry.ActivitySource.HasListeners());

        // The shared cache in memory only (HybridCache without a distributed cache), so its hits and misses are counted.
        var name = "traced" + Guid.NewGuid().ToString("N")[..8];
        var (url, _) = CountedStores.Add(await CountedStores.SampleAsync());
        using var sp = TestServices.Build(s => s.AddZarrCloud(o => o.ChunkCacheBytes = 0).AddDataset(name, url).AddHybridChunkCache(o => o.UseLocalCache = true));
        var array = await sp.GetRequiredService<IZarrDatasets>().OpenArrayAsync(name, "temp", TestContext.Current.CancellationToken);
        await array.ReadAsync<float>(Selection.Parse("0:10,0:10"), TestContext.Current.CancellationToken);
        await array.ReadAsync<float>(Selection.Parse("0:10,0:10"), TestContext.Current.CancellationToken);
        tracer.ForceFlush();
        meter.ForceFlush();
        // The listeners are process-wide: other tests running beside this one keep adding to the lists until the
        // providers are gone, so stop them before reading (disposing twice is harmless).
        tracer.Dispose();
        meter.Dispose();

        var open = Assert.Single(activities, a => a.Source.Name == ZarrCloudTelemetry.Name && a.OperationName == "zarr.dataset.open" && (string?)a.GetTagItem("zarr.dataset") == name);
        Assert.Equal(ActivityStatusCode.Unset, open.Status);
        Assert.True(SharedCacheCount(metrics, "zarr.cache.misses") >= 1);
        Assert.True(SharedCacheCount(metrics, "zarr.cache.hits") >= 1);
    }

    [Fact]
    public async Task A_failed_open_is_an_error_span()
    {
        var activities = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddZarrCloudInstrumentation().AddInMemoryExporter(activities).Build();
        var name = "failing" + Guid.NewGuid().ToString("N")[..8];
        var (url, _) = CountedStores.Add(new MemoryStore());
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset(name, url));
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await sp.GetRequiredService<IZarrDatasets>().OpenAsync(name, TestContext.Current.CancellationToken));
        tracer.ForceFlush();
        tracer.Dispose();
        var open = Assert.Single(activities, a => a.OperationName == "zarr.dataset.open" && (string?)a.GetTagItem("zarr.dataset") == name);
        Assert.Equal(ActivityStatusCode.Error, open.Status);
    }

    /// <summary>The sum of a counter's points tagged zarr.cache=shared (other tests may add to them: at least ours are there).</summary>
    private static long SharedCacheCount(List<Metric> metrics, string name)
    {
        long sum = 0;
        foreach (var metric in metrics.Where(m => m.Name == name && m.MeterName == ZarrCloudTelemetry.Name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                    if (tag.Key == "zarr.cache" && (string?)tag.Value == "shared") sum += point.GetSumLong();
            }
        }
        return sum;
    }
}
