using System.Net;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Timeouts;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService.Datasets;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>Builds the slice service: configuration, the demo dataset, limits, the API and the page.</summary>
public static class SliceServiceApp
{
    /// <summary>The liveness endpoint: 200 "Healthy" while the process serves requests; no dataset is checked.</summary>
    public const string LivePath = "/health/live";

    /// <summary>The readiness endpoint: every dataset's health check (its root metadata is read), 503 when one fails.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>The tag of the health checks <see cref="ReadyPath"/> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// The configuration key of the OTLP endpoint (the OpenTelemetry environment variable, read from any configuration
    /// source): when set, traces, metrics and logs are exported there; when not, nothing is exported.
    /// </summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The connection string (<c>ConnectionStrings:redis</c>, or <c>ConnectionStrings__redis</c> in the environment) of the
    /// Redis server replicas share their fetched chunks through; none by default.
    /// </summary>
    public const string RedisConnectionName = "redis";

    /// <summary>The service name in telemetry unless OTEL_SERVICE_NAME gives one.</summary>
    public const string ServiceName = "zarr-slice-service";

    /// <summary>
    /// Creates the application: writes the demo dataset on first start (section "Demo"), registers the datasets of
    /// section "Zarr", the limits of section "SliceService", the API under /api, the OpenAPI document at
    /// /openapi/v1.json and the page in wwwroot at /.
    /// </summary>
    /// <param name="args">Command-line arguments (configuration, --urls).</param>
    /// <param name="configure">Changes to the builder just before the app is built, after the service's own registrations
    /// (tests replace services; settings are read earlier, so pass them in <paramref name="args"/>).</param>
    /// <param name="cancellationToken">Cancels writing the demo dataset.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        // The page and appsettings.json are copied next to the program: found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        await AddDemoDatasetAsync(builder, cancellationToken);
        var limits = builder.Configuration.GetSection(SliceServiceOptions.Section).Get<SliceServiceOptions>() ?? new();
        limits.Validate();
        builder.Services.Configure<SliceServiceOptions>(builder.Configuration.GetSection(SliceServiceOptions.Section));

        // Datasets come only from configuration ("Zarr:Datasets"): requests name them, never give a URL.
        var zarr = builder.Services.AddZarrCloud(builder.Configuration.GetSection("Zarr"));
        // Replicas share what they fetch through Redis when a connection string names one (deploy/ sets
        // ConnectionStrings__redis): the second-level cache under the in-memory chunk cache ("Zarr:SharedCache").
        if (builder.Configuration.GetConnectionString(RedisConnectionName) is { Length: > 0 } redis)
        {
            builder.Services.AddStackExchangeRedisCache(o => o.Configuration = redis);
            zarr.AddHybridChunkCache();
        }
        builder.Services.AddHealthChecks().AddZarrDatasets(tags: [ReadyTag]);
        AddTelemetry(builder);
        builder.Services.AddSingleton<CoordinateCache>();

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddRequestTimeouts(o =>
        {
            if (limits.RequestTimeoutSeconds > 0)
                o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(limits.RequestTimeoutSeconds), TimeoutStatusCode = StatusCodes.Status504GatewayTimeout };
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem($"More than {limits.RateLimit.TokenLimit} requests at once or {limits.RateLimit.TokensPerSecond} a second from one address ({SliceServiceOptions.Section}:RateLimit); retry later.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(SliceApi.RateLimitPolicy, context =>
            {
                var rate = limits.RateLimit;
                var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
                if (rate.TokenLimit == 0 || rate.TokensPerSecond == 0) return RateLimitPartition.GetNoLimiter(client);
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = rate.TokenLimit,
                    TokensPerPeriod = Math.Max(1, (int)Math.Round(rate.TokensPerSecond * rate.ReplenishmentSeconds)),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(rate.ReplenishmentSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.MapOpenApi();
        // Liveness runs no check (the process answers); readiness opens every dataset (deploy/k8s probes both).
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapSliceApi();
        return app;
    }

    // OpenTelemetry: spans of requests (ASP.NET Core, health probes left out) and of Zarr.Cloud (dataset opens, array
    // reads, store requests), metrics of both. Exported by OTLP only when an endpoint is configured; tests and other
    // exporters attach to the same providers with ConfigureOpenTelemetryTracerProvider/MeterProvider.
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddZarrCloudInstrumentation())
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddZarrCloudInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey])) telemetry.UseOtlpExporter();
    }

    // Writes the demo dataset when "Demo:Dataset" names one (default "demo") and adds it to "Zarr:Datasets" unless that
    // name is configured there already.
    private static async Task AddDemoDatasetAsync(WebApplicationBuilder builder, CancellationToken ct)
    {
        var demo = builder.Configuration.GetSection("Demo");
        var name = demo["Dataset"] ?? "demo";
        if (name.Length == 0 || !string.IsNullOrEmpty(builder.Configuration[$"Zarr:Datasets:{name}:Url"])) return;
        var path = demo["Path"];
        if (string.IsNullOrWhiteSpace(path)) path = Path.Combine(Path.GetTempPath(), "zarr-cloud-slice-service", "demo.zarr");
        int days = demo.GetValue("Days", 365);
        var started = DateTime.UtcNow;
        if (await DemoDataset.EnsureAsync(path, days, ct))
            Console.WriteLine($"Wrote the demo dataset ({days} days) to {path} in {(DateTime.UtcNow - started).TotalSeconds:F1} s.");
        builder.Configuration.AddInMemoryCollection([new($"Zarr:Datasets:{name}:Url", path)]);
    }
}
