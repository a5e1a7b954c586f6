using System.Collections.Concurrent;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Turns a URL into a store and a path inside it. Local paths and <c>file://</c> URLs and
/// <c>memory://</c> are built in; backend packages register their schemes (s3, gs, az, https) with
/// <see cref="Register"/>, and the hosts they serve over http(s) (S3's <c>*.amazonaws.com</c>) with
/// <see cref="RegisterHost"/>.
/// </summary>
public static class StoreResolver
{
    private static readonly ConcurrentDictionary<string, Func<Uri, StoreOpenOptions, StoreLocation>> Factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers a factory for a URL scheme, replacing any earlier one.</summary>
    /// <param name="scheme">The scheme, e.g. "s3".</param>
    /// <param name="factory">Builds a store and the path inside it from a URL.</param>
    public static void Register(string scheme, Func<Uri, StoreOpenOptions, StoreLocation> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[scheme] = factory;
    }

    private static readonly object HostLock = new();
    private static (Func<Uri, bool> Matches, Func<Uri, StoreOpenOptions, StoreLocation> Factory)[] HostFactories = [];

    /// <summary>
    /// Registers a factory for http(s) URLs whose host a backend serves natively (e.g. S3's
    /// <c>https://bucket.s3.us-west-2.amazonaws.com/path</c>). Host factories are asked before the scheme's factory,
    /// the latest registered first.
    /// </summary>
    /// <param name="matches">True for the URLs the factory serves.</param>
    /// <param name="factory">Builds a store and the path inside it from a URL.</param>
    public static void RegisterHost(Func<Uri, bool> matches, Func<Uri, StoreOpenOptions, StoreLocation> factory)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(factory);
        lock (HostLock) HostFactories = [(matches, factory), .. HostFactories];
    }

    /// <summary>The package (and assembly) that serves http(s) URLs of a host, by convention.</summary>
    private static string? BackendPackageForHost(string host)
    {
        host = host.ToLowerInvariant();
        return host.EndsWith(".amazonaws.com", StringComparison.Ordinal) || host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal) ? "Zarr.Cloud.S3" : null;
    }

    private static bool TryHostFactory(Uri uri, out Func<Uri, StoreOpenOptions, StoreLocation>? factory)
    {
        foreach (var (matches, f) in HostFactories)
        {
            if (!matches(uri)) continue;
            factory = f;
            return true;
        }
        factory = null;
        return false;
    }

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

    private static bool TryLoadPackage(string? name)
    {
        if (name is null) return false;
        try
        {
            var assembly = System.Reflection.Assembly.Load(new System.Reflection.AssemblyName(name));
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            return true;
        }
        catch (FileNotFoundException)
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
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || (url.Length > 1 && url[1] == ':' && char.IsAsciiLetter(url[0]) && schemeEnd == 1))
            return new StoreLocation(new FileSystemStore(url, options.ReadOnly), "");
        var scheme = url[..schemeEnd];
        if (scheme.Equals("file", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(new FileSystemStore(new Uri(url).LocalPath, options.ReadOnly), "");
        if (scheme.Equals("memory", StringComparison.OrdinalIgnoreCase))
            return new StoreLocation(new MemoryStore(), StoreKeys.NormalizePath(url[(schemeEnd + 3)..]));
        if ((scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (TryHostFactory(uri, out var hostFactory) || (TryLoadPackage(BackendPackageForHost(uri.Host)) && TryHostFactory(uri, out hostFactory))))
            return hostFactory!(uri, options);
        if (Factories.TryGetValue(scheme, out var factory) || (TryLoadBackend(scheme) && Factories.TryGetValue(scheme, out factory)))
            return factory(new Uri(url), options);
        var package = BackendPackage(scheme);
        var hint = package is null ? "" : $" (reference the {package} package)";
        throw new ArgumentException($"No store is registered for the URL scheme '{scheme}'{hint}: '{url}'.", nameof(url));
    }
}
