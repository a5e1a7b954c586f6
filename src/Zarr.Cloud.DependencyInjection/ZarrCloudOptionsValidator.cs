using Microsoft.Extensions.Options;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// Checks <see cref="ZarrCloudOptions"/> when the application starts (ValidateOnStart) and names the configuration key
/// of every wrong value, e.g. <c>Zarr:Datasets:sst:Url</c>.
/// </summary>
/// <param name="section">The configuration path the options are bound from ("Zarr" by default).</param>
internal sealed class ZarrCloudOptionsValidator(string section) : IValidateOptions<ZarrCloudOptions>
{
    /// <summary>Schemes whose backend is built in or loaded on first use by <see cref="StoreResolver"/>.</summary>
    private static readonly string[] KnownSchemes = ["file", "memory", "http", "https", "s3", "s3a", "gs", "gcs", "az", "abfs", "abfss"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ZarrCloudOptions options)
    {
        var failures = new List<string>();
        if (options.ChunkCacheBytes < 0)
            failures.Add($"{Key("ChunkCacheBytes")} must be zero (no chunk cache) or a number of bytes; it is {options.ChunkCacheBytes}.");
        if (options.MaxInFlightRequests < 1)
            failures.Add($"{Key("MaxInFlightRequests")} must be at least 1; it is {options.MaxInFlightRequests}.");
        if (options.MaxConcurrency < 1)
            failures.Add($"{Key("MaxConcurrency")} must be at least 1; it is {options.MaxConcurrency}.");
        ValidateResilience(options.Resilience, failures);
        ValidateSharedCache(options.SharedCache, failures);
        foreach (var (dataset, d) in options.Datasets) ValidateDataset(dataset, d, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Key(string relative) => section.Length == 0 ? relative : section + ":" + relative;

    private void ValidateResilience(ResilienceOptions? resilience, List<string> failures)
    {
        if (resilience is null)
        {
            failures.Add($"{Key("Resilience")} must not be null.");
            return;
        }
        try
        {
            resilience.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            // ResilienceOptions names the property; the message without .NET's "(Parameter ...)" tail reads better here.
            var reason = e.Message.Split(Environment.NewLine)[0];
            failures.Add($"{Key("Resilience:" + e.ParamName)}: {reason}");
        }
    }

    private void ValidateSharedCache(HybridChunkCacheOptions? cache, List<string> failures)
    {
        if (cache is null)
        {
            failures.Add($"{Key("SharedCache")} must not be null.");
            return;
        }
        if (cache.MaxEntryBytes < 1)
            failures.Add($"{Key("SharedCache:MaxEntryBytes")} must be at least 1; it is {cache.MaxEntryBytes}.");
        if (cache.Expiration <= TimeSpan.Zero)
            failures.Add($"{Key("SharedCache:Expiration")} must be positive; it is {cache.Expiration}.");
    }

    private void ValidateDataset(string dataset, ZarrDatasetOptions? d, List<string> failures)
    {
        var prefix = "Datasets:" + dataset;
        if (string.IsNullOrWhiteSpace(dataset))
        {
            failures.Add($"{Key("Datasets")} has a dataset with an empty name.");
            return;
        }
        if (d is null)
        {
            failures.Add($"{Key(prefix)} has no settings; it needs at least a Url.");
            return;
        }
        if (string.IsNullOrWhiteSpace(d.Url))
            failures.Add($"{Key(prefix + ":Url")} is missing: the dataset '{dataset}' needs the URL or path of its Zarr hierarchy.");
        else if (SchemeProblem(d.Url) is { } problem)
            failures.Add($"{Key(prefix + ":Url")} {problem}");
        if (!string.IsNullOrWhiteSpace(d.Endpoint))
        {
            try
            {
                new StoreOpenOptions { Endpoint = d.Endpoint }.GetEndpointUri();
            }
            catch (ArgumentException)
            {
                failures.Add($"{Key(prefix + ":Endpoint")} is '{StoreUrlRedactor.Redact(d.Endpoint)}', which is not an http:// or https:// URL or a host name.");
            }
        }
    }

    /// <summary>Why <paramref name="url"/> cannot be opened, or null when its scheme is known.</summary>
    private static string? SchemeProblem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return null; // a local path
        var scheme = url[..schemeEnd];
        var known = KnownSchemes.Concat(StoreResolver.Schemes).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!known.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            return $"has the scheme '{scheme}', which no store serves ('{StoreUrlRedactor.Redact(url)}'); use one of {string.Join(", ", known.Order(StringComparer.Ordinal).Select(s => s + "://"))} or a local path.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (!uri.IsFile && uri.Host.Length == 0 && !scheme.Equals("memory", StringComparison.OrdinalIgnoreCase)))
            return $"is not a valid URL: '{StoreUrlRedactor.Redact(url)}' (expected {scheme}://host-or-bucket/path).";
        return null;
    }
}
