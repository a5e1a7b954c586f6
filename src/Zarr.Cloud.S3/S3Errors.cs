using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.S3;

/// <summary>
/// How S3's answers and the SDK's exceptions map onto the store contract: which mean "missing" (null), which are
/// transient (worth a retry by the middleware), and the <see cref="StoreException"/> a caller sees, without secrets.
/// </summary>
internal static partial class S3Errors
{
    public const string Backend = "s3";

    /// <summary>
    /// True when <paramref name="e"/> means the key is absent: 404 (<c>NoSuchKey</c>, or a bodiless 404 of a HEAD), and,
    /// for anonymous requests with <paramref name="forbiddenAsMissing"/>, 403: S3 answers 403 for an absent key when the
    /// caller may not list the bucket. A missing bucket is not a missing key.
    /// </summary>
    public static bool IsMissing(Exception e, bool anonymous, bool forbiddenAsMissing)
    {
        if (e is not AmazonServiceException s) return false;
        if (s.ErrorCode is "NoSuchBucket") return false;
        return s.StatusCode switch
        {
            HttpStatusCode.NotFound => true,
            HttpStatusCode.Forbidden => anonymous && forbiddenAsMissing,
            _ => false,
        };
    }

    /// <summary>True when S3 says the bucket is in another region than the request went to.</summary>
    public static bool IsWrongRegion(Exception e) => e is AmazonServiceException s
        && (s.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect
            || s.ErrorCode is "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" or "TemporaryRedirect");

    /// <summary>True for S3's "the range is not satisfiable".</summary>
    public static bool IsInvalidRange(Exception e) => e is AmazonServiceException s
        && (s.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || s.ErrorCode is "InvalidRange");

    /// <summary>True when retrying <paramref name="e"/> may succeed (throttling, 5xx, timeouts, broken connections, cut bodies).</summary>
    /// <param name="e">The failure.</param>
    /// <param name="cancellationToken">The caller's token: a cancellation the caller asked for is not a failure at all.</param>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken = default)
    {
        if (e is AmazonServiceException s && (int)s.StatusCode != 0)
        {
            int status = (int)s.StatusCode;
            return status >= 500 || status is 408 or 429
                || s.ErrorCode is "SlowDown" or "InternalError" or "RequestTimeout" or "ServiceUnavailable" or "Throttling" or "ThrottlingException" or "RequestLimitExceeded";
        }
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                case TimeoutException:
                case HttpRequestException:
                case IOException:
                case SocketException:
                case AmazonUnmarshallingException:
                    return true;
                case AmazonClientException c when c.Message.Contains("hash", StringComparison.OrdinalIgnoreCase):
                    return true; // a checksum mismatch: the bytes were damaged on the way
            }
        }
        return false;
    }

    /// <summary>The <see cref="StoreException"/> for a failure of <paramref name="operation"/> on <paramref name="key"/>.</summary>
    /// <param name="e">The failure.</param>
    /// <param name="key">The store key (or "" for a listing of the root).</param>
    /// <param name="operation">What was being done, e.g. "GET".</param>
    /// <param name="anonymous">True when the request was anonymous (for the hint on 403).</param>
    /// <param name="secrets">Values that must never appear (secret key, session token, access key id).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static StoreException ToStoreException(Exception e, string key, string operation, bool anonymous, IEnumerable<string?> secrets, CancellationToken cancellationToken = default)
    {
        int? status = e is AmazonServiceException s && (int)s.StatusCode != 0 ? (int)s.StatusCode : null;
        string? code = (e as AmazonServiceException)?.ErrorCode;
        var transient = IsTransient(e, cancellationToken);
        string what = e switch
        {
            AmazonServiceException when status == 403 => anonymous
                ? "access denied to an anonymous request (the bucket is not public for this key: give credentials, or the key is absent and TreatForbiddenAsMissing is off)"
                : "access denied (check the credentials and the bucket policy)",
            AmazonServiceException when code is "NoSuchBucket" => "the bucket does not exist",
            AmazonServiceException when IsWrongRegion(e) => "the bucket is in another region than the request went to; set the region",
            AmazonServiceException => Describe(e),
            OperationCanceledException => "the request timed out",
            _ => Describe(e),
        };
        var head = status is null ? operation : $"{operation} answered {status}{(string.IsNullOrEmpty(code) ? "" : " " + code)}";
        var message = Redact($"{head}: {what}", secrets);
        // The SDK's exception goes along only when nothing secret shows in it.
        var inner = Redact(e.ToString(), secrets) == e.ToString() ? e : null;
        return new StoreException(key, Backend, message, status, transient, inner);
    }

    private static string Describe(Exception e)
    {
        var m = e.Message;
        if (e.InnerException is { } i && !m.Contains(i.Message, StringComparison.Ordinal)) m += " (" + i.Message + ")";
        return m.Length == 0 ? e.GetType().Name : m;
    }

    // Things that are secret wherever they appear: query-string signatures and tokens, the signature of an
    // Authorization header, and access key ids.
    [GeneratedRegex(@"(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s""'<]+|(Signature=)[0-9a-fA-F]{16,}|\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();

    /// <summary>Removes secrets from <paramref name="text"/>: the given values and anything shaped like a signature, token or access key id.</summary>
    public static string Redact(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets)
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return SecretPattern().Replace(text, m => m.Groups[1].Success ? m.Groups[1].Value + "***" : m.Groups[2].Success ? m.Groups[2].Value + "***" : "***");
    }
}
