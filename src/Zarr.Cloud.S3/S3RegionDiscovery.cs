using System.Collections.Concurrent;

namespace Zarr.Cloud.S3;

/// <summary>
/// Finds the region of a bucket on Amazon S3 by asking S3: an anonymous <c>HEAD https://s3.amazonaws.com/bucket</c>,
/// whose <c>x-amz-bucket-region</c> header names the region whatever the status (200 for a public bucket, 403 for a
/// private one, 301 when the bucket is elsewhere). Needs no permission, unlike GetBucketLocation. Answers are kept per
/// bucket for the life of the process.
/// </summary>
internal static class S3RegionDiscovery
{
    /// <summary>The response header that names a bucket's region.</summary>
    public const string RegionHeader = "x-amz-bucket-region";

    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = TimeSpan.FromSeconds(15) });

    /// <summary>The client used when the store's options give no HTTP client factory.</summary>
    public static HttpClient DefaultHttpClient => SharedClient.Value;

    /// <summary>The URL asked: path-style on the global endpoint, so bucket names with dots work too.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="china">True for the China partition (<c>amazonaws.com.cn</c>).</param>
    public static Uri ProbeUrl(string bucket, bool china = false)
        => new(china ? $"https://s3.cn-north-1.amazonaws.com.cn/{Uri.EscapeDataString(bucket)}" : $"https://s3.amazonaws.com/{Uri.EscapeDataString(bucket)}");

    /// <summary>Forgets what was learnt (for tests).</summary>
    public static void Clear() => Known.Clear();

    /// <summary>The region of <paramref name="bucket"/>, or null when S3 does not say (no such bucket, no network).</summary>
    /// <param name="http">The HTTP client.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="china">True for the China partition.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="fresh">Ask S3 even when the region is known (after S3 said it is somewhere else).</param>
    public static async Task<string?> DiscoverAsync(HttpClient http, string bucket, bool china, CancellationToken cancellationToken, bool fresh = false)
    {
        if (!fresh && Known.TryGetValue(bucket, out var known)) return known;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, ProbeUrl(bucket, china));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.Headers.TryGetValues(RegionHeader, out var values)) return null;
            var region = values.FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(region)) return null;
            Known[bucket] = region;
            return region;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null; // no answer: the caller falls back to a configured or default region
        }
    }
}
