using System.Text.RegularExpressions;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Removes secrets from URLs and from text before they reach an exception message, a log or <c>ToString()</c>:
/// signatures and tokens in query strings (<c>sig=</c> of an Azure SAS, <c>X-Amz-Signature</c>, <c>X-Goog-Signature</c>,
/// <c>token</c>, <c>key</c>, ...), passwords in a URL's user info, <c>Authorization</c> headers, bearer tokens and
/// account keys of connection strings. Every backend runs what it puts in a message through it.
/// </summary>
/// <remarks>
/// A query parameter is a secret when its name ends with <c>sig</c>, <c>signature</c>, <c>token</c>, <c>key</c>,
/// <c>secret</c>, <c>password</c>, <c>credential</c> or <c>auth</c> (any case): its value becomes
/// <see cref="Placeholder"/>. Other parameters (an Azure SAS's expiry <c>se=</c>, say) are kept because they help
/// to understand a failure. Redacting too much is harmless; redacting too little is not, hence the broad rule.
/// </remarks>
public static partial class StoreUrlRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Placeholder = "REDACTED";

    // name=value pairs whose name says they are secret, in a query string, a connection string or free text.
    [GeneratedRegex(@"(?<name>\b[\w.\-]*(?:sig|signature|token|key|secret|password|passwd|pwd|credential|auth))(?<sep>=|%3D)(?<value>[^&\s;,""'<>]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPairPattern();

    // user:password@ in a URL.
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.\-]*://)(?<userinfo>[^/@\s]+)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();

    // Header lines that carry credentials ("Authorization: ...", "x-amz-security-token: ...").
    [GeneratedRegex(@"(?<name>\b(?:proxy-)?authorization|\bx-amz-security-token|\bx-ms-copy-source-authorization|\bx-goog-api-key|\bocp-apim-subscription-key)(?<sep>\s*[:=]\s*)(?<value>[^\r\n]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretHeaderPattern();

    // "Bearer xyz", "SharedKey account:xyz", "AWS4-HMAC-SHA256 Credential=..., Signature=..." outside a header line.
    [GeneratedRegex(@"\b(?<scheme>Bearer|SharedKey|SharedKeyLite|AWS4-HMAC-SHA256|GOOG4-RSA-SHA256)\s+(?<value>[^\s""'<>]+(?:,\s*[^\s""'<>]+)*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthSchemePattern();

    /// <summary>The URL with its user info and secret query values replaced by <see cref="Placeholder"/>.</summary>
    /// <param name="url">The URL (may be null).</param>
    public static string Redact(Uri? url) => url is null ? "" : Redact(url.OriginalString);

    /// <summary>
    /// A URL (or any text that contains URLs, header lines or connection strings) with its secrets replaced by
    /// <see cref="Placeholder"/>.
    /// </summary>
    /// <param name="text">The URL or text (may be null).</param>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var s = SecretHeaderPattern().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Placeholder);
        s = AuthSchemePattern().Replace(s, m => m.Groups["scheme"].Value + " " + Placeholder);
        s = UserInfoPattern().Replace(s, m => m.Groups["scheme"].Value + Placeholder + "@");
        s = SecretPairPattern().Replace(s, m => m.Groups["name"].Value + m.Groups["sep"].Value + Placeholder);
        return s;
    }
}
