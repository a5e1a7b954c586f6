namespace Zarr.Cloud.Storage;

/// <summary>Options for opening a store from a URL.</summary>
public class StoreOpenOptions
{
    /// <summary>Refuse writes.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Use no credentials (public data).</summary>
    public bool Anonymous { get; set; }

    /// <summary>
    /// A custom endpoint for S3-compatible or emulated services. Without a scheme it means https; plain http only when
    /// written out (<c>http://127.0.0.1:9000</c>). See <see cref="GetEndpointUri"/>.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The region, where the backend has regions.</summary>
    public string? Region { get; set; }

    /// <summary>How transient failures are retried by the store stack the resolver builds.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>Most requests in flight at once against the store (default 64, suited to cloud latency of tens of milliseconds).</summary>
    public int MaxInFlightRequests { get; set; } = 64;

    /// <summary>Where retries and other store events are logged (at Warning for retries); null for none.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    /// <summary>
    /// Makes the <see cref="HttpClient"/> for the stores that speak HTTP themselves (<see cref="HttpStore"/> and the GCS
    /// store), e.g. <c>() =&gt; factory.CreateClient("Zarr.Cloud")</c> from <c>IHttpClientFactory</c>; called once per
    /// store opened. The client is not disposed by the store. Null for a client shared by the process. S3 and Azure keep
    /// their SDK clients.
    /// </summary>
    public Func<HttpClient>? HttpClientFactory { get; set; }

    /// <summary>The clock for backoff delays and timeouts; tests pass a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// <see cref="Endpoint"/> as an absolute URL, or null when it is not set: <c>https://</c> is added when the endpoint
    /// has no scheme (https is the default; plain http only for an explicit <c>http://</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The endpoint is not an http or https URL.</exception>
    public Uri? GetEndpointUri()
    {
        if (string.IsNullOrWhiteSpace(Endpoint)) return null;
        var text = Endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"The endpoint '{StoreUrlRedactor.Redact(Endpoint)}' is not an http:// or https:// URL.", nameof(Endpoint));
        return uri;
    }
}
