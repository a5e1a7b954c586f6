using System.Runtime.CompilerServices;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Gcs;

/// <summary>Registers the gs and gcs schemes and Cloud Storage's https hosts with <see cref="StoreResolver"/> when this assembly loads.</summary>
internal static class GcsStoreRegistration
{
#pragma warning disable CA2255 // A module initializer is how a referenced backend registers its URL schemes (see StoreResolver).
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        StoreResolver.Register("gs", Open);
        StoreResolver.Register("gcs", Open);
        StoreResolver.RegisterHost(IsGcsHost, Open);
    }

    private static StoreLocation Open(Uri url, StoreOpenOptions options) => new(GcsStore.FromUrl(url, options, Environment.GetEnvironmentVariable), "");

    /// <summary>storage.googleapis.com, bucket.storage.googleapis.com and the console's storage.cloud.google.com.</summary>
    internal static bool IsGcsHost(Uri url)
    {
        var host = url.Host.ToLowerInvariant();
        return url.Scheme is "https" or "http" && (host is "storage.googleapis.com" or "storage.cloud.google.com" || host.EndsWith(".storage.googleapis.com", StringComparison.Ordinal));
    }
}
