using System.Collections.Concurrent;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Turns a URL into a store and a path inside it. Local paths, <c>file://</c>, <c>memory://</c>, <c>http://</c> and
/// <c>https://</c> are built in; backend packages register their schemes (s3, gs, az) with <see cref="Register"/>
/// and the https hosts of their services with <see cref="RegisterHost"/>, so that
/// <c>https://bucket.s3.amazonaws.com/data.zarr</c> opens an S3 store when the S3 package is referenced and a
/// read-only <see cref="HttpStore"/> otherwise.
/// </summary>
public static class StoreResolver
{
    private static readonly ConcurrentDictionary<string, Func<Uri, StoreOpenOptions, StoreLocation>> Factories = new(StringComparer.OrdinalIgnoreCase);
    private static readonly object HostGate = new();
    private static (Func<Uri, bool> Matches, Func<Uri, StoreOpenOptions, StoreLocation> Factory)[] _hosts = [];

    static StoreResolver()
    {
        Factories[Uri.UriSchemeHttps] = OpenHttp;
        Factories[Uri.UriSchemeHttp] = OpenHttp;
    }

    /// <summary>Registers a factory for a URL scheme, replacing any earlier one.</summary>
    /// <param name="scheme">The scheme, e.g. "s3".</param>
    /// <param name="factory">Builds a store and the path inside it from a URL.</param>
    public static void Register(string scheme, Func<Uri, StoreOpenOptions, StoreLocation> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[scheme] = factory;
    }

    /// <summary>
    /// Registers a factory for the http(s) URLs of a service, e.g. <c>*.blob.core.windows.net</c>: an http or https URL
    /// for which <paramref name="matches"/> is true opens the store <paramref name="factory"/> builds instead of an
    /// <see cref="HttpStore"/>. Backends call it from their module initializer; the latest registration that matches wins.
    /// </summary>
    /// <param name="matches">True for the URLs the factory serves (test the host, and the path where the service needs one).</param>
    /// <param name="factory">Builds a store and the path inside it from a URL.</param>
    public static void RegisterHost(Func<Uri, bool> matches, Func<Uri, StoreOpenOptions, StoreLocation> factory)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(factory);
        lock (HostGate) _hosts = [.. _hosts, (matches, factory)];
    }

    /// <summary>The factory registered with <see cref="RegisterHost"/> that serves <paramref name="uri"/>, latest first.</summary>
    private static Func<Uri, StoreOpenOptions, StoreLocation>? FindHost(Uri uri)
    {
        var hosts = Volatile.Read(ref _hosts);
        for (int i = hosts.Length - 1; i >= 0; i--)
            if (hosts[i].Matches(uri)) return hosts[i].Factory;
        return null;
    }

    private static StoreLocation OpenHttp(Uri uri, StoreOpenOptions options)
        => new(options.HttpClientFactory is { } client ? new HttpStore(client(), uri) : new HttpStore(uri), "");

    /// <summary>The package (and assembly) that serves a scheme, by convention.</summary>
    private static string? BackendPackage(string scheme) => scheme.ToLowerInvariant() switch
    {
        "s3" => "Zarr.Cloud.S3",
        "gs" or "gcs" => "Zarr.Cloud.Gcs",
        "az" or "abfs" or "abfss" => "Zarr.Cloud.Azure",
        _ => null,
    };

    /// <summary>
    /// Loads the backend assembly of <paramref name="scheme"/> when the application references it but has not used
    /// it yet; its module initializer registers its schemes. Backends call <see cref="Register"/> from a
    /// <c>[ModuleInitializer]</c>, so referencing the package is all a user does.
    /// </summary>
    private static bool TryLoadBackend(string scheme) => TryLoadPackage(BackendPackage(scheme));

    /// <summary>
    /// The package that serves a cloud service's own http(s) host, by convention: S3 (<c>*.amazonaws.com</c>, e.g.
    /// <c>bucket.s3.amazonaws.com</c> or <c>s3.us-west-2.amazonaws.com/bucket</c>), Azure (<c>*.blob.core.windows.net</c>,
    /// <c>*.dfs.core.windows.net</c> and the sovereign clouds) and GCS (<c>storage.googleapis.com/bucket</c>). Loading
    /// it runs its module initializer, whose <see cref="RegisterHost"/> then takes the URL; without the package the
    /// URL is read over plain HTTP.
    /// </summary>
    private static string? HostBackendPackage(string host)
    {
        host = host.ToLowerInvariant();
        if (host.EndsWith(".amazonaws.com", StringComparison.Ordinal) || host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal)) return "Zarr.Cloud.S3";
        if (host.Contains(".blob.core.", StringComparison.Ordinal) || host.Contains(".dfs.core.", StringComparison.Ordinal)) return "Zarr.Cloud.Azure";
        if (host is "storage.googleapis.com" or "storage.cloud.google.com" || host.EndsWith(".storage.googleapis.com", StringComparison.Ordinal)) return "Zarr.Cloud.Gcs";
        return null;
    }

    private static bool TryLoadPackage(string? name)
    {
        if (name is null) return false;
        try
        {
            var assembly = System.Reflection.Assembly.Load(new System.Reflection.AssemblyName(name));
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>The schemes registered so far, besides file paths.</summary>
    public static IReadOnlyCollection<string> Schemes => Factories.Keys.ToList();

    /// <summary>
    /// Resolves <paramref name="url"/>. A local path (absolute or relative) or a <c>file://</c> URL opens a
    /// <see cref="FileSystemStore"/> rooted at it, with an empty node path; callers that want to open a node
    /// inside a hierarchy from a file path use <see cref="Arrays.ZarrNode.OpenAsync(string, Arrays.ZarrOpenOptions?, CancellationToken)"/>,
    /// which finds the hierarchy root.
    /// </summary>
    /// <param name="url">The URL or path.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <exception cref="ArgumentException">The scheme is unknown (the message says which package registers it).</exception>
    public static StoreLocation Resolve(string url, StoreOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        options ??= new StoreOpenOptions();
        var location = ResolveBackend(url, options);
        return location with { Store = StoreStack.Build(location.Store, options) };
    }

    private static StoreLocation ResolveBackend(string url, StoreOpenOptions options)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || (url.Length > 1 && url[1] == ':' && char.IsAsciiLetter(url[0]) && schemeEnd == 1))
            return new StoreLocation(new FileSystemStore(url, options.ReadOnly), "");
        var scheme = url[..schemeEnd];
        if (scheme.Equals("file", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(new FileSystemStore(new Uri(url).LocalPath, options.ReadOnly), "");
        if (scheme.Equals("memory", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(new MemoryStore(), StoreKeys.NormalizePath(url[(schemeEnd + 3)..]));
        if (scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) || scheme.Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            var host = FindHost(uri);
            if (host is null && TryLoadPackage(HostBackendPackage(uri.Host))) host = FindHost(uri);
            if (host is not null) return host(uri, options);
        }
        if (Factories.TryGetValue(scheme, out var factory) || (TryLoadBackend(scheme) && Factories.TryGetValue(scheme, out factory)))
            return factory(new Uri(url), options);
        var package = BackendPackage(scheme);
        var hint = package is null ? "" : $" (reference the {package} package)";
        throw new ArgumentException($"No store is registered for the URL scheme '{scheme}'{hint}: '{StoreUrlRedactor.Redact(url)}'.", nameof(url));
    }
}
