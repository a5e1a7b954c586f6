using System.Net;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Samples.SliceService.Datasets;

namespace Zarr.Cloud.Samples.SliceService;

/// <summary>Builds the slice service: configuration, the demo dataset, limits, the API and the page.</summary>
public static class SliceServiceApp
{
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
        builder.Services.AddZarrCloud(builder.Configuration.GetSection("Zarr"));
        builder.Services.AddHealthChecks().AddZarrDatasets();
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
        app.MapHealthChecks("/healthz");
        app.MapSliceApi();
        return app;
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
