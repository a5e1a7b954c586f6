using Amazon.Runtime;
using Amazon.S3;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.S3;

/// <summary>
/// Options of an <see cref="S3Store"/>: plain settable properties, bindable from configuration. Pass an instance as
/// <c>ZarrOpenOptions.Store</c> to use them when opening by URL; the inherited <see cref="StoreOpenOptions.Anonymous"/>,
/// <see cref="StoreOpenOptions.Endpoint"/>, <see cref="StoreOpenOptions.Region"/> and <see cref="StoreOpenOptions.ReadOnly"/>
/// are honoured too when a plain <see cref="StoreOpenOptions"/> is given.
/// </summary>
/// <remarks>
/// <para>Endpoint: <see cref="StoreOpenOptions.Endpoint"/>, else <c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>,
/// else Amazon S3. A custom endpoint (MinIO, Ceph, s3rver, ...) uses path-style addressing unless
/// <see cref="ForcePathStyle"/> says otherwise, and never sends aws-chunked bodies.</para>
/// <para>Region: <see cref="StoreOpenOptions.Region"/>, else the region an https address names, else <c>AWS_REGION</c>,
/// <c>AWS_DEFAULT_REGION</c>, the profile's region; else, on Amazon S3, the bucket's region is asked of S3 (one anonymous
/// HEAD request, whose <c>x-amz-bucket-region</c> header answers for public and private buckets alike); else us-east-1.
/// A request that S3 redirects to the bucket's region is repeated once there.</para>
/// <para>Credentials: <see cref="StoreOpenOptions.Anonymous"/> (no signing), else <see cref="Credentials"/>, else
/// <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> (and <see cref="SessionToken"/>), else the named
/// <see cref="Profile"/>, else the SDK's default chain (environment, <c>AWS_PROFILE</c> and the shared files, web
/// identity, container and instance roles). When the chain finds nothing, requests are anonymous
/// (<see cref="AnonymousWhenNoCredentials"/>), which is what public datasets need.</para>
/// </remarks>
public class S3StoreOptions : StoreOpenOptions
{
    /// <summary>A named profile of the shared AWS config and credentials files; null for <c>AWS_PROFILE</c> or "default".</summary>
    public string? Profile { get; set; }

    /// <summary>An access key id, with <see cref="SecretAccessKey"/>; prefer the SDK's credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key that goes with <see cref="AccessKeyId"/>. Never logged or shown.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials. Never logged or shown.</summary>
    public string? SessionToken { get; set; }

    /// <summary>Credentials object of the AWS SDK (e.g. an assumed role); wins over the key properties and the chain.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Use anonymous requests when no credentials are found (default true).</summary>
    public bool AnonymousWhenNoCredentials { get; set; } = true;

    /// <summary>
    /// With anonymous requests, read a 403 (Forbidden) for a key as a missing key (default true). S3 answers 403,
    /// not 404, for an absent key when the caller may not list the bucket, as is usual for public datasets; zarr-python
    /// reads such a chunk as the fill value too. Signed requests never do this: a 403 there is an error.
    /// </summary>
    public bool TreatForbiddenAsMissing { get; set; } = true;

    /// <summary>Send <c>x-amz-request-payer: requester</c>: the caller pays for requests and transfer (requester-pays buckets).</summary>
    public bool RequesterPays { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>); null for the default: on for custom endpoints, off for Amazon S3.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Ask S3 for a bucket's region when none is configured (default true; Amazon S3 only).</summary>
    public bool DiscoverRegion { get; set; } = true;

    /// <summary>
    /// Retries done by the AWS SDK itself (default 0). Retrying belongs to the store middleware
    /// (<c>ResilientStore</c>), which sees every backend's transient failures the same way; two retry layers multiply.
    /// It also sets the SDK's retries of stale connections (resets and broken pipes, 10 by default in the SDK).
    /// </summary>
    public int MaxErrorRetry { get; set; }

    /// <summary>The timeout of one request; null for the SDK's default. A timed-out request is a transient <see cref="StoreException"/>.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>Keys asked for per list request (1 to 1000, default 1000, S3's maximum).</summary>
    public int ListPageSize { get; set; } = 1000;

    /// <summary>How several ranges of one key are merged into few requests; null for <see cref="CoalescingOptions.Default"/>.</summary>
    public CoalescingOptions? Coalescing { get; set; }

    /// <summary>The last word on the SDK's client configuration (proxies, HTTP client factory, timeouts), applied after the options above.</summary>
    public Action<AmazonS3Config>? ConfigureClient { get; set; }

    /// <summary>A copy of <paramref name="options"/> as S3 options: the same instance when it already is one.</summary>
    /// <param name="options">General store options, or null.</param>
    public static S3StoreOptions From(StoreOpenOptions? options)
    {
        if (options is S3StoreOptions s3) return s3;
        var result = new S3StoreOptions();
        if (options is null) return result;
        result.ReadOnly = options.ReadOnly;
        result.Anonymous = options.Anonymous;
        result.Endpoint = options.Endpoint;
        result.Region = options.Region;
        return result;
    }

    internal void Validate()
    {
        if (ListPageSize is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(ListPageSize), ListPageSize, "ListPageSize must be between 1 and 1000.");
        if (MaxErrorRetry < 0) throw new ArgumentOutOfRangeException(nameof(MaxErrorRetry), MaxErrorRetry, "MaxErrorRetry must not be negative.");
        if (RequestTimeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), t, "RequestTimeout must be positive.");
        if ((AccessKeyId is null) != (SecretAccessKey is null)) throw new ArgumentException("AccessKeyId and SecretAccessKey go together: set both or neither.");
        if (Endpoint is not null && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _)) throw new ArgumentException("Endpoint must be an absolute URL such as http://127.0.0.1:9000.");
    }
}
