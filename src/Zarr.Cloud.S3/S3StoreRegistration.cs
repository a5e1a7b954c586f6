using System.Runtime.CompilerServices;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.S3;

/// <summary>
/// Registers the <c>s3://</c> (and <c>s3a://</c>) scheme and the https hosts of Amazon S3 with <see cref="StoreResolver"/>
/// when this assembly loads, so <c>ZarrGroup.OpenAsync("s3://bucket/path")</c> works once the package is referenced.
/// </summary>
public static class S3StoreRegistration
{
    private static int _registered;

    /// <summary>Registers the S3 store with <see cref="StoreResolver"/> (done by itself when the assembly loads; repeating it is harmless).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        StoreResolver.Register("s3", Open);
        StoreResolver.Register("s3a", Open);
        StoreResolver.RegisterHost(uri => S3Address.IsS3Host(uri.IdnHost), Open);
    }

#pragma warning disable CA2255 // a library's module initializer is how a backend registers itself with StoreResolver (DESIGN.md)
    [ModuleInitializer]
    internal static void Initialize() => Register();
#pragma warning restore CA2255

    private static StoreLocation Open(Uri uri, StoreOpenOptions options)
        => new(S3Store.FromUrl(uri.OriginalString, S3StoreOptions.From(options)), "");
}
