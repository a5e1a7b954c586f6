using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Gcs;

/// <summary>
/// Where a URL points in Cloud Storage: the bucket and the path inside it. Parses <c>gs://bucket/path</c>,
/// <c>https://storage.googleapis.com/bucket/path</c>, <c>https://bucket.storage.googleapis.com/path</c> and the
/// console's <c>https://storage.cloud.google.com/bucket/path</c>.
/// </summary>
internal sealed record GcsAddress(string Bucket, string Path)
{
    public static GcsAddress Parse(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var segments = Uri.UnescapeDataString(url.AbsolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var host = url.Host.ToLowerInvariant();
        switch (url.Scheme.ToLowerInvariant())
        {
            case "gs" or "gcs":
                return Build(host, segments);
            case "https" or "http" when host is "storage.googleapis.com" or "storage.cloud.google.com":
                if (segments.Length == 0) throw Invalid(url, "the URL names no bucket: https://storage.googleapis.com/bucket/path");
                return Build(segments[0], segments[1..]);
            case "https" or "http" when host.EndsWith(".storage.googleapis.com", StringComparison.Ordinal):
                return Build(host[..^".storage.googleapis.com".Length], segments);
            default:
                throw Invalid(url, "the scheme is not gs, or the host not storage.googleapis.com");
        }
    }

    private static GcsAddress Build(string bucket, string[] path)
    {
        if (bucket.Length == 0) throw new ArgumentException("The URL names no bucket.");
        return new GcsAddress(bucket, StoreKeys.NormalizePath(string.Join('/', path)));
    }

    private static ArgumentException Invalid(Uri url, string why)
        => new($"Not a Cloud Storage URL ({why}): '{url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}'.", nameof(url));

    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? $"gs://{Bucket}" : $"gs://{Bucket}/{Path}";
}
