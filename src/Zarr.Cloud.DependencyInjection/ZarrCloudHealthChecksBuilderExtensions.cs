using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>Health checks for the Zarr datasets.</summary>
public static class ZarrCloudHealthChecksBuilderExtensions
{
    /// <summary>The prefix of the checks' names: the check of dataset <c>sst</c> is <c>zarr:sst</c>.</summary>
    public const string NamePrefix = "zarr:";

    /// <summary>
    /// Adds one health check per configured dataset, named <c>zarr:&lt;name&gt;</c>: healthy when the dataset's root
    /// metadata can be read, <paramref name="failureStatus"/> (default Unhealthy) with the error's message otherwise.
    /// The datasets are those of <see cref="ZarrCloudOptions.Datasets"/> when the health check service is built, so
    /// datasets from configuration and from <see cref="IZarrCloudBuilder.AddDataset"/> are both checked.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status of a failed check; null for Unhealthy.</param>
    /// <param name="tags">Tags of every check (e.g. "ready"); null for none.</param>
    /// <param name="timeout">How long one check may take; null for no limit of its own.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddZarrDatasets(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray();
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(options =>
        {
            foreach (var name in sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value.Datasets.Keys.Order(StringComparer.Ordinal))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    NamePrefix + name, s => new ZarrDatasetHealthCheck(s.GetRequiredService<IZarrDatasets>(), name), failureStatus, tagList, timeout));
            }
        }));
        return builder;
    }
}
