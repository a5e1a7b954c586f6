using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>Subscribes OpenTelemetry to Zarr.Cloud's activity source and meter (<see cref="ZarrCloudTelemetry.Name"/>).</summary>
public static class ZarrCloudInstrumentationExtensions
{
    /// <summary>Collects Zarr.Cloud's spans (dataset opens, array reads and writes, store requests).</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddZarrCloudInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(ZarrCloudTelemetry.Name);
    }

    /// <summary>Collects Zarr.Cloud's metrics (store requests, bytes, retries, cache hits and misses, chunks decoded).</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddZarrCloudInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(ZarrCloudTelemetry.Name);
    }
}
