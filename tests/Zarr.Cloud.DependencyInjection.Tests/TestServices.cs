using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>Service providers and configuration for the tests.</summary>
public static class TestServices
{
    /// <summary>samples/data/sst.zarr: a v2 group with analysed_sst [8, 90, 180] float32.</summary>
    public static string SamplePath => Path.Combine(ServerProcess.RepoRoot, "samples", "data", "sst.zarr");

    /// <summary>A provider with logging and whatever <paramref name="configure"/> adds.</summary>
    public static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>Configuration read from JSON text, as appsettings.json would be.</summary>
    public static IConfigurationRoot Json(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
