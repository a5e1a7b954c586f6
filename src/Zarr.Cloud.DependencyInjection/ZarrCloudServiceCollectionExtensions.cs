using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Caching;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>Registers Zarr.Cloud in an <see cref="IServiceCollection"/>.</summary>
public static class ZarrCloudServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client the HTTP and GCS stores use: <c>Zarr.Cloud</c>.</summary>
    public const string HttpClientName = "Zarr.Cloud";

    /// <summary>The configuration section the options are usually bound from: <c>Zarr</c>.</summary>
    public const string DefaultSectionName = "Zarr";

    /// <summary>
    /// Adds Zarr.Cloud with options bound from <paramref name="configuration"/> (usually
    /// <c>configuration.GetSection("Zarr")</c>): <see cref="IZarrDatasets"/>, the shared <see cref="ChunkCache"/>, the
    /// <c>Zarr.Cloud</c> HTTP client, and validation of the options when the application starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section of <see cref="ZarrCloudOptions"/>.</param>
    /// <returns>A builder for datasets and the shared cache.</returns>
    public static IZarrCloudBuilder AddZarrCloud(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection s ? s.Path : "";
        var builder = AddCore(services, section);
        services.AddOptions<ZarrCloudOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>
    /// Adds Zarr.Cloud configured in code: <see cref="IZarrDatasets"/>, the shared <see cref="ChunkCache"/>, the
    /// <c>Zarr.Cloud</c> HTTP client, and validation of the options when the application starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; null for defaults (datasets are then added with <see cref="IZarrCloudBuilder.AddDataset"/>).</param>
    /// <returns>A builder for datasets and the shared cache.</returns>
    public static IZarrCloudBuilder AddZarrCloud(this IServiceCollection services, Action<ZarrCloudOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddCore(services, DefaultSectionName);
        if (configure is not null) services.Configure(configure);
        return builder;
    }

    private static ZarrCloudBuilder AddCore(IServiceCollection services, string section)
    {
        services.AddOptions<ZarrCloudOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZarrCloudOptions>>(new ZarrCloudOptionsValidator(section)));
        // Per-attempt timeouts come from the resilience options (and the GCS store's own); the client adds none.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new ChunkCache(sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value.ChunkCacheBytes));
        services.TryAddSingleton<IZarrDatasets, ZarrDatasets>();
        return new ZarrCloudBuilder(services);
    }
}
