using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Zarr.Cloud.Samples.SliceService;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// OpenTelemetry in the service: a slice request is one trace from the ASP.NET Core request down to the store, metrics of
/// both are collected, and with OTEL_EXPORTER_OTLP_ENDPOINT set they are exported over OTLP to a real HTTP receiver.
/// </summary>
public sealed class TelemetryTests(DemoData demo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Exactly the chunk [0, 0, 0] of the demo's [5, 60, 60] chunks.</summary>
    internal const string OneChunk = "api/datasets/demo/arrays/analysed_sst/slice?format=bin&sel=0:5,0:60,0:60";

    [Fact]
    public async Task ASliceRequest_IsOneTraceFromTheRequestDownToTheStore()
    {
        // Listeners are process-wide (other tests' hosts run at the same time): this request is picked out by the trace
        // id it sends in its traceparent header.
        var spans = new List<Activity>();
        var traceId = ActivityTraceId.CreateRandom();
        await using (var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))))
        {
            using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = host.Address };
            using var request = new HttpRequestMessage(HttpMethod.Get, OneChunk);
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(5 * 60 * 60 * 2, (await response.Content.ReadAsByteArrayAsync(Ct)).Length);
        } // stopping the host ends the request and disposes the tracer provider: every span has been exported

        var mine = spans.Where(s => s.TraceId == traceId).ToList();
        var server = Assert.Single(mine, s => s.Kind == ActivityKind.Server);
        Assert.Equal("/api/datasets/{dataset}/arrays/{array}/slice", server.GetTagItem("http.route"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        var read = Assert.Single(mine, s => s.OperationName == "zarr.array.read");
        Assert.True(Descends(read, server, mine), "zarr.array.read is not inside the request's span");
        var chunkGet = Assert.Single(mine, s => s.OperationName == "zarr.store.get" && Descends(s, read, mine));
        Assert.Equal(ActivityKind.Client, chunkGet.Kind);
        // The dataset was opened by this request (a new host): its metadata reads are in the same trace.
        var open = Assert.Single(mine, s => s.OperationName == "zarr.dataset.open");
        Assert.Equal("demo", open.GetTagItem("zarr.dataset"));
        Assert.Contains(mine, s => s.OperationName == "zarr.store.get" && Descends(s, open, mine));
    }

    [Fact]
    public async Task Metrics_OfRequestsAndOfZarrCloudAreCollected()
    {
        var metrics = new List<Metric>();
        await using (var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, services: s => s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics))))
            Assert.NotEmpty(await host.Client.GetByteArrayAsync(OneChunk, Ct));
        // Disposing the meter provider collects and exports once more.
        var names = metrics.Select(m => m.Name).ToHashSet();
        Assert.Contains("http.server.request.duration", names);
        Assert.Contains("zarr.store.requests", names);
        Assert.Contains("zarr.cache.misses", names);
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndMetricsAreExportedThere()
    {
        // A real OTLP/HTTP receiver: a Kestrel app that keeps what is posted to /v1/traces and /v1/metrics.
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var receiverBuilder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver.StartAsync(Ct);

        await using (var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days,
            [$"{SliceServiceApp.OtlpEndpointKey}={receiver.Urls.Single()}", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"]))
            Assert.NotEmpty(await host.Client.GetByteArrayAsync(OneChunk, Ct));
        // Stopping the host flushes its exporters.

        var traces = received.Where(r => r.Path == "traces").Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
        Assert.Contains(traces, t => t.Contains("zarr.array.read", StringComparison.Ordinal) && t.Contains(SliceServiceApp.ServiceName, StringComparison.Ordinal));
        Assert.Contains(received, r => r.Path == "metrics" && Encoding.UTF8.GetString(r.Body).Contains("zarr.store.requests", StringComparison.Ordinal));
    }

    // Whether span's chain of parents (within the trace) reaches ancestor.
    private static bool Descends(Activity span, Activity ancestor, List<Activity> trace)
    {
        var bySpan = trace.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; bySpan.TryGetValue(parent, out var p); parent = p.ParentSpanId)
            if (p == ancestor) return true;
        return false;
    }
}
