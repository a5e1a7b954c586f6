using System.Runtime.CompilerServices;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Azure;

/// <summary>Registers the az, abfs and abfss schemes and Azure's https hosts with <see cref="StoreResolver"/> when this assembly loads.</summary>
internal static class AzureStoreRegistration
{
#pragma warning disable CA2255 // A module initializer is how a referenced backend registers its URL schemes (see StoreResolver).
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        foreach (var scheme in new[] { "az", "abfs", "abfss" }) StoreResolver.Register(scheme, Open);
        StoreResolver.RegisterHost(IsAzureHost, Open);
    }

    private static StoreLocation Open(Uri url, StoreOpenOptions options) => new(AzureBlobStore.FromUrl(url, options, Environment.GetEnvironmentVariable), "");

    /// <summary>account.blob.core.windows.net, account.dfs.core.windows.net, and the same in the sovereign clouds.</summary>
    internal static bool IsAzureHost(Uri url)
    {
        var host = url.Host;
        return url.Scheme is "https" or "http" && (host.Contains(".blob.core.", StringComparison.OrdinalIgnoreCase) || host.Contains(".dfs.core.", StringComparison.OrdinalIgnoreCase));
    }
}
