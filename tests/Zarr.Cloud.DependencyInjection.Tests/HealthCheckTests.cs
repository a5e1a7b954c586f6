using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Zarr.Cloud.DependencyInjection.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Each_dataset_has_a_check_healthy_when_its_metadata_reads()
    {
        var missing = Path.Combine(Path.GetTempPath(), "zarrcloud-none-" + Guid.NewGuid().ToString("N"));
        using var sp = TestServices.Build(s =>
        {
            s.AddZarrCloud(TestServices.Json($$"""{ "Zarr": { "Datasets": { "good": { "Url": {{System.Text.Json.JsonSerializer.Serialize(TestServices.SamplePath)}} } } } }""").GetSection("Zarr"))
                .AddDataset("broken", missing);
            s.AddHealthChecks().AddZarrDatasets(tags: ["ready"]);
        });
        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["zarr:broken", "zarr:good"], report.Entries.Keys.Order(StringComparer.Ordinal));
        var good = report.Entries["zarr:good"];
        Assert.Equal(HealthStatus.Healthy, good.Status);
        Assert.Contains("v2 group", good.Description, StringComparison.Ordinal);
        Assert.Equal(["ready"], good.Tags);
        var broken = report.Entries["zarr:broken"];
        Assert.Equal(HealthStatus.Unhealthy, broken.Status);
        Assert.IsType<ZarrNodeNotFoundException>(broken.Exception);
        Assert.Contains("'broken' cannot be read", broken.Description, StringComparison.Ordinal);
        Assert.Contains(broken.Exception!.Message, broken.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task A_check_reads_the_metadata_again_each_time()
    {
        var backend = await CountedStores.SampleAsync();
        var (url, counter) = CountedStores.Add(backend);
        using var sp = TestServices.Build(s =>
        {
            s.AddZarrCloud().AddDataset("d", url);
            s.AddHealthChecks().AddZarrDatasets(failureStatus: HealthStatus.Degraded);
        });
        var health = sp.GetRequiredService<HealthCheckService>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(ct)).Entries["zarr:d"].Status);
        var before = counter.Reads;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(ct)).Entries["zarr:d"].Status);
        Assert.Equal(before + 1, counter.Reads);

        await backend.DeleteAsync("zarr.json", ct);
        var entry = (await health.CheckHealthAsync(ct)).Entries["zarr:d"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("'zarr.json'", entry.Description, StringComparison.Ordinal);
        Assert.Contains("is gone", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_datasets_there_are_no_checks()
    {
        using var sp = TestServices.Build(s =>
        {
            s.AddZarrCloud();
            s.AddHealthChecks().AddZarrDatasets();
        });
        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Empty(report.Entries);
    }
}
