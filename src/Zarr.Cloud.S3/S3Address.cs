using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.S3;

/// <summary>
/// Where a store lives in S3: a bucket, a key prefix inside it, and the region when the address names one.
/// Parsed from <c>s3://bucket/path</c> or from the https forms of S3 addresses: virtual-hosted
/// (<c>https://bucket.s3.us-west-2.amazonaws.com/path</c>, <c>https://bucket.s3.amazonaws.com/path</c>) and
/// path-style (<c>https://s3.us-west-2.amazonaws.com/bucket/path</c>, <c>https://s3.amazonaws.com/bucket/path</c>),
/// including the legacy <c>s3-region</c>, dual-stack and China (<c>.amazonaws.com.cn</c>) hosts.
/// </summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Prefix">The key prefix of the store root inside the bucket, without leading or trailing '/' ("" for the bucket root).</param>
/// <param name="Region">The region the address names (https forms), or null.</param>
public sealed partial record S3Address(string Bucket, string Prefix, string? Region = null)
{
    // [bucket.]s3[.dualstack|-region|.region].amazonaws.com[.cn]
    [GeneratedRegex(@"^(?:(?<bucket>[^/]+?)\.)?s3(?:-external-1|[.-](?:dualstack\.)?(?<region>[a-z]{2}(?:-[a-z]+)+-\d+))?\.amazonaws\.com(?:\.cn)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex S3Host();

    /// <summary>True when <paramref name="host"/> is an Amazon S3 host name (<c>*.amazonaws.com</c> with an <c>s3</c> label).</summary>
    /// <param name="host">A host name.</param>
    public static bool IsS3Host(string host) => S3Host().IsMatch(host);

    /// <summary>Parses an <c>s3://</c> URL or an https URL of an S3 host.</summary>
    /// <param name="url">The URL.</param>
    /// <exception cref="ArgumentException">Not an S3 address, or a key prefix that is not a valid store path.</exception>
    public static S3Address Parse(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!TryParse(url, out var address, out var error)) throw new ArgumentException($"'{url}' is not an S3 address: {error}", nameof(url));
        return address;
    }

    /// <summary>Parses an <c>s3://</c> URL or an https URL of an S3 host; false when it is neither.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="address">The address, when the URL is one.</param>
    public static bool TryParse(string? url, [NotNullWhen(true)] out S3Address? address) => TryParse(url, out address, out _);

    private static bool TryParse(string? url, [NotNullWhen(true)] out S3Address? address, out string error)
    {
        address = null;
        error = "expected s3://bucket/path or https://bucket.s3.REGION.amazonaws.com/path";
        if (string.IsNullOrEmpty(url)) return false;
        if (url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("s3a://", StringComparison.OrdinalIgnoreCase))
        {
            // s3:// URLs name keys literally (as fsspec and the AWS CLI do): no percent-decoding, no query.
            var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? "" : rest[(slash + 1)..];
            return Make(bucket, path, null, out address, out error);
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)) return false;
        var m = S3Host().Match(uri.IdnHost);
        if (!m.Success) return false;
        var region = m.Groups["region"].Success ? m.Groups["region"].Value.ToLowerInvariant() : null;
        if (region is null && uri.IdnHost.EndsWith(".cn", StringComparison.OrdinalIgnoreCase)) region = "cn-north-1";
        var decoded = Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/');
        if (m.Groups["bucket"].Success) return Make(m.Groups["bucket"].Value, decoded, region, out address, out error);
        var firstSlash = decoded.IndexOf('/');
        return firstSlash < 0
            ? Make(decoded, "", region, out address, out error)
            : Make(decoded[..firstSlash], decoded[(firstSlash + 1)..], region, out address, out error);
    }

    private static bool Make(string bucket, string path, string? region, [NotNullWhen(true)] out S3Address? address, out string error)
    {
        address = null;
        if (bucket.Length == 0) { error = "the bucket is missing"; return false; }
        if (bucket.Length > 255 || bucket.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            error = $"'{bucket}' is not a bucket name";
            return false;
        }
        string prefix;
        try
        {
            prefix = StoreKeys.NormalizePath(path);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
        address = new S3Address(bucket, prefix, region);
        error = "";
        return true;
    }

    /// <summary>The S3 key of <paramref name="key"/> (a key relative to the store root).</summary>
    /// <param name="key">A store key.</param>
    internal string ObjectKey(string key) => Prefix.Length == 0 ? key : Prefix + "/" + key;

    /// <summary>The <c>s3://bucket/prefix</c> form.</summary>
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
