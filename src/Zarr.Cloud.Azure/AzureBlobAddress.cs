using System.Net;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Azure;

/// <summary>
/// Where a URL points in Azure Blob Storage: the account (when the URL names one), its blob endpoint (when the URL's
/// host is one), the container, the path inside it and a SAS from the query. Parses <c>az://container/path</c>,
/// <c>az://container@account.blob.core.windows.net/path</c>, <c>abfs[s]://container@account.dfs.core.windows.net/path</c>,
/// <c>https://account.blob.core.windows.net/container/path[?sas]</c> (also the <c>dfs</c> host) and the emulator's
/// path-style <c>http://127.0.0.1:10000/account/container/path</c>.
/// </summary>
internal sealed record AzureBlobAddress(string? AccountName, Uri? ServiceUri, string Container, string Path, string? SasToken)
{
    public static AzureBlobAddress Parse(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.Scheme.ToLowerInvariant();
        var segments = Uri.UnescapeDataString(url.AbsolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (scheme)
        {
            case "az" or "abfs" or "abfss":
            {
                if (url.UserInfo.Length > 0)
                {
                    // container@account.blob|dfs.core.windows.net
                    var (account, service) = AccountOfHost(url.Host, scheme == "abfs" ? "http" : "https", url.IsDefaultPort ? null : url.Port);
                    return Build(account, service, Uri.UnescapeDataString(url.UserInfo), segments, url.Query);
                }
                return Build(null, null, url.Host, segments, url.Query);
            }
            case "https" or "http":
            {
                if (IsPathStyleHost(url.Host))
                {
                    // the emulator: http://127.0.0.1:10000/devstoreaccount1/container/path
                    if (segments.Length < 2) throw Invalid(url, "a path-style URL names the account and the container: http://host:port/account/container/path");
                    var service = new Uri($"{url.Scheme}://{url.Authority}/{segments[0]}");
                    return Build(segments[0], service, segments[1], segments[2..], url.Query);
                }
                var (account, endpoint) = AccountOfHost(url.Host, url.Scheme, url.IsDefaultPort ? null : url.Port);
                if (segments.Length < 1) throw Invalid(url, "the URL names no container: https://account.blob.core.windows.net/container/path");
                return Build(account, endpoint, segments[0], segments[1..], url.Query);
            }
            default:
                throw Invalid(url, "the scheme is not az, abfs, abfss or https");
        }
    }

    /// <summary>The account and blob endpoint of <c>account.blob.core.windows.net</c> or <c>account.dfs.core.windows.net</c> (any cloud's suffix).</summary>
    private static (string Account, Uri Service) AccountOfHost(string host, string scheme, int? port)
    {
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) throw new ArgumentException($"The host '{host}' is not an Azure storage host (account.blob.core.windows.net).");
        var account = host[..dot];
        var rest = host[(dot + 1)..];
        // Data Lake (dfs) hosts serve the same data through the Blob API on the blob host.
        if (rest.StartsWith("dfs.", StringComparison.OrdinalIgnoreCase)) rest = "blob." + rest[4..];
        var authority = port is null ? $"{account}.{rest}" : $"{account}.{rest}:{port}";
        return (account, new Uri($"{scheme}://{authority}"));
    }

    private static bool IsPathStyleHost(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _);

    private static AzureBlobAddress Build(string? account, Uri? service, string container, string[] path, string query)
    {
        if (container.Length == 0) throw new ArgumentException("The URL names no container.");
        var p = StoreKeys.NormalizePath(string.Join('/', path));
        var sas = query.TrimStart('?');
        return new AzureBlobAddress(account, service, container, p, sas.Length == 0 ? null : sas);
    }

    private static ArgumentException Invalid(Uri url, string why)
        => new($"Not an Azure Blob Storage URL ({why}): '{Redact(url)}'.", nameof(url));

    /// <summary>The URL without its query (where a SAS would be).</summary>
    public static string Redact(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped);

    /// <inheritdoc />
    public override string ToString() => $"az://{Container}/{Path}" + (AccountName is null ? "" : $" (account {AccountName})");
}
