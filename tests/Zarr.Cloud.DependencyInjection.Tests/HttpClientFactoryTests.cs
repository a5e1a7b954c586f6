using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>http:// datasets served by a real nginx, read through the IHttpClientFactory client "Zarr.Cloud".</summary>
public sealed class HttpClientFactoryTests(NginxFixture nginx) : IClassFixture<NginxFixture>
{
    /// <summary>A handler in the named client's pipeline that records the URLs it sends.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<Uri> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task An_http_dataset_is_read_through_the_named_client()
    {
        nginx.Require();
        var url = nginx.Link("sst-" + Guid.NewGuid().ToString("N")[..8], TestServices.SamplePath);
        var seen = new ConcurrentQueue<Uri>();
        using var sp = TestServices.Build(s =>
        {
            s.AddZarrCloud().AddDataset("web", url.ToString());
            s.AddHttpClient(ZarrCloudServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(seen));
        });
        var ct = TestContext.Current.CancellationToken;
        var array = await sp.GetRequiredService<IZarrDatasets>().OpenArrayAsync("web", "analysed_sst", ct);
        var values = await array.ReadAsync<float>(Selection.Parse("-1,::10,::10"), ct);
        var direct = await ZarrArray.OpenAsync(Path.Combine(TestServices.SamplePath, "analysed_sst"), cancellationToken: ct);
        Assert.Equal((await direct.ReadAsync<float>(Selection.Parse("-1,::10,::10"), ct)).Data, values.Data);
        Assert.NotEmpty(seen);
        Assert.All(seen, u => Assert.StartsWith(url.ToString(), u.ToString(), StringComparison.Ordinal));
        Assert.Contains(seen, u => u.AbsolutePath.EndsWith("/.zmetadata", StringComparison.Ordinal));
        Assert.Contains(seen, u => u.AbsolutePath.Contains("/analysed_sst/7.", StringComparison.Ordinal)); // chunks of the last time step
    }

    [Fact]
    public async Task A_failing_server_makes_the_check_unhealthy_without_the_secret()
    {
        nginx.Require();
        var url = nginx.Url("status/403/data.zarr?X-Amz-Signature=TOPSECRET123");
        using var sp = TestServices.Build(s =>
        {
            s.AddZarrCloud(o => o.Resilience.Enabled = false).AddDataset("denied", url.ToString());
            s.AddHealthChecks().AddZarrDatasets();
        });
        var entry = (await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken)).Entries["zarr:denied"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsType<StoreException>(entry.Exception);
        Assert.Contains("403", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET123", entry.Description, StringComparison.Ordinal);
    }
}
