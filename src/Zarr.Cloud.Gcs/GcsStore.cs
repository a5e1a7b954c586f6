using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Gcs;

/// <summary>
/// A store in a Google Cloud Storage bucket, over the JSON API with <see cref="HttpClient"/>: a key is an object name
/// below <see cref="Prefix"/>. Opened from <c>gs://bucket/path</c> or <c>https://storage.googleapis.com/bucket/path</c>
/// with <see cref="FromUrl(string, StoreOpenOptions?)"/> (or by <c>ZarrGroup.OpenAsync</c> once this package is
/// referenced). Authenticates with Application Default Credentials through Google.Apis.Auth, or not at all for public
/// buckets and emulators (<c>STORAGE_EMULATOR_HOST</c>).
/// </summary>
/// <remarks>
/// Reads are media downloads with a <c>Range</c> header, suffix ranges included. A server that answers a range with the
/// whole object (200; the emulator does for ranges past the end, where Cloud Storage answers 416) is handled: the
/// range is resolved against the object's real size, so a read past the end is a 416 and never returns other bytes.
/// Writes are single-request media uploads. No retries here: the store stack retries, once, above the backend.
/// </remarks>
public sealed class GcsStore : IAsyncStore, IDirectoryListingStore
{
    private const string Backend = "gcs";
    private static readonly Uri DefaultService = new("https://storage.googleapis.com/");
    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = System.Threading.Timeout.InfiniteTimeSpan });

    private readonly HttpClient _http;
    private readonly GcsAuthorization _auth;
    private readonly string _root;
    private readonly string _service;
    private readonly string? _userProject;
    private readonly int? _listPageSize;
    private readonly TimeSpan _timeout;

    private GcsStore(GcsAddress address, Uri service, GcsAuthorization auth, GcsStoreOptions o)
    {
        if (o.ListPageSize is <= 0) throw new ArgumentOutOfRangeException(nameof(o), o.ListPageSize, "ListPageSize must be positive.");
        Bucket = address.Bucket;
        Prefix = address.Path;
        ServiceUri = service;
        _root = Prefix.Length == 0 ? "" : Prefix + "/";
        _service = service.ToString().TrimEnd('/');
        _auth = auth;
        _http = o.HttpClient ?? o.HttpClientFactory?.Invoke() ?? SharedClient.Value;
        _userProject = string.IsNullOrWhiteSpace(o.UserProject) ? null : o.UserProject.Trim();
        _listPageSize = o.ListPageSize;
        _timeout = o.Timeout ?? TimeSpan.FromSeconds(100);
        ReadOnly = o.ReadOnly;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The path inside the bucket the store is rooted at ("" for the bucket's root).</summary>
    public string Prefix { get; }

    /// <summary>The API endpoint (Cloud Storage's, or an emulator's).</summary>
    public Uri ServiceUri { get; }

    /// <summary>True when writes are refused.</summary>
    public bool ReadOnly { get; }

    /// <inheritdoc />
    public StoreCapabilities Capabilities => ReadOnly ? StoreCapabilities.All & ~StoreCapabilities.Write : StoreCapabilities.All;

    /// <summary>
    /// Opens the store a URL names: <c>gs://bucket/path</c>, <c>https://storage.googleapis.com/bucket/path</c> or
    /// <c>https://bucket.storage.googleapis.com/path</c>, rooted at the path. Nothing is sent until the first request.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <param name="options">Credentials and endpoint (a <see cref="GcsStoreOptions"/>, or common options); null for the defaults and the environment.</param>
    /// <exception cref="ArgumentException">The URL is not a Cloud Storage URL.</exception>
    public static GcsStore FromUrl(string url, StoreOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return FromUrl(new Uri(url), options, Environment.GetEnvironmentVariable);
    }

    internal static GcsStore FromUrl(Uri url, StoreOpenOptions? options, Func<string, string?> environment)
    {
        var o = GcsStoreOptions.From(options);
        return new GcsStore(GcsAddress.Parse(url), ServiceOf(o, environment), GcsAuthorization.Choose(o, environment), o);
    }

    internal GcsAuthorization.CredentialKind CredentialKind => _auth.Kind;

    /// <summary>The endpoint: the options', else <c>STORAGE_EMULATOR_HOST</c> (a host:port or a URL), else Cloud Storage's.</summary>
    internal static Uri ServiceOf(GcsStoreOptions o, Func<string, string?> environment)
    {
        if (o.ServiceUri is not null) return o.ServiceUri;
        // An endpoint without a scheme means https; STORAGE_EMULATOR_HOST without one means http, as Google's libraries read it.
        if (!string.IsNullOrWhiteSpace(o.Endpoint)) return new Uri(o.Endpoint.Contains("://", StringComparison.Ordinal) ? o.Endpoint.Trim() : "https://" + o.Endpoint.Trim());
        var emulator = environment("STORAGE_EMULATOR_HOST")?.Trim();
        if (!string.IsNullOrEmpty(emulator)) return new Uri(emulator.Contains("://", StringComparison.Ordinal) ? emulator : "http://" + emulator);
        return DefaultService;
    }

    // ------------------------------------------------------------------ requests

    private string ObjectName(string key)
    {
        StoreKeys.Validate(key);
        return _root + key;
    }

    private string ObjectUrl(string name, string? query = null)
    {
        var sb = new StringBuilder(_service).Append("/storage/v1/b/").Append(Uri.EscapeDataString(Bucket)).Append("/o/").Append(Uri.EscapeDataString(name));
        return AppendQuery(sb, query);
    }

    private string AppendQuery(StringBuilder sb, string? query)
    {
        if (query is not null) sb.Append('?').Append(query);
        if (_userProject is not null) sb.Append(query is null ? '?' : '&').Append("userProject=").Append(Uri.EscapeDataString(_userProject));
        return sb.ToString();
    }

    /// <summary>
    /// Runs one operation (a request and the reading of its answer) under the per-request timeout; a timeout becomes a
    /// transient <see cref="StoreException"/>, the caller's own cancellation passes through.
    /// </summary>
    private async Task<T> WithTimeoutAsync<T>(string key, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            return await operation(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreException(key, Backend, $"no answer within {_timeout.TotalSeconds:0.#} s", 408, true, Withhold(e));
        }
    }

    /// <summary>
    /// Sends a request with the bearer token (if any); the response's headers are read, its body is not. Network
    /// failures become transient <see cref="StoreException"/>s.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(string key, HttpMethod method, string url, HttpContent? content, ByteRange range, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, url) { Content = content };
            if (range.ToHttpHeaderValue() is { } header && !(range.Kind == ByteRangeKind.FromOffset && range.Offset == 0))
                request.Headers.TryAddWithoutValidation("Range", header);
            if (await GetTokenAsync(key, cancellationToken).ConfigureAwait(false) is { } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new StoreException(key, Backend, $"the request failed before an answer ({e.HttpRequestError})", null, true, Withhold(e));
        }
    }

    private async ValueTask<string?> GetTokenAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _auth.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
        {
            throw new StoreException(key, Backend, $"no access token could be obtained ({e.GetType().Name}: {e.Message})", 401, e is IOException, Withhold(e));
        }
    }

    /// <summary>The <see cref="StoreException"/> for an error answer, with what Cloud Storage said (its JSON error message).</summary>
    private async Task<StoreException> ErrorAsync(string key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        string detail;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            detail = ErrorMessageOf(body);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            detail = "";
        }
        bool transient = status is 408 or 429 or >= 500;
        var what = $"HTTP {status} {response.ReasonPhrase}";
        if (status is 401 or 403) what += ": access denied (check the credential and its permissions on the bucket; Anonymous for public buckets)";
        // A service that echoes the request's token back must not put it in our message.
        foreach (var secret in _auth.Secrets) detail = detail.Replace(secret, "[redacted]", StringComparison.Ordinal);
        if (detail.Length > 0) what += $" ({detail})";
        return new StoreException(key, Backend, what, status, transient);
    }

    /// <summary>The <c>error.message</c> of a JSON error body, or the start of a text one.</summary>
    internal static string ErrorMessageOf(string body)
    {
        body = body.Trim();
        if (body.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m))
                    body = m.GetString() ?? "";
            }
            catch (JsonException)
            {
                // not JSON after all: keep the text
            }
        }
        return body.Length > 300 ? body[..300] + "..." : body;
    }

    private Exception? Withhold(Exception e)
    {
        var text = e.ToString();
        foreach (var secret in _auth.Secrets)
            if (text.Contains(secret, StringComparison.Ordinal)) return null;
        return e;
    }

    // ------------------------------------------------------------------ reads

    /// <inheritdoc />
    public async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        var name = ObjectName(key);
        return await WithTimeoutAsync(key, ct => GetCoreAsync(key, name, range, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoreValue?> GetCoreAsync(string key, string name, ByteRange range, CancellationToken cancellationToken)
    {
        if ((range.Kind == ByteRangeKind.Bounded || range.Kind == ByteRangeKind.Suffix) && range.Length == 0)
            return await GetEmptyRangeAsync(key, name, range, cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(key, HttpMethod.Get, ObjectUrl(name, "alt=media"), null, range, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return null;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // An empty object has no last N bytes to HTTP, but has an empty suffix to us.
                if (range.Kind == ByteRangeKind.Suffix) return await GetEmptyRangeAsync(key, name, range, cancellationToken).ConfigureAwait(false);
                throw new StoreException(key, Backend, $"range {range} starts past the end of the value{SizeOf(response)}", 416);
            case HttpStatusCode.PartialContent:
                return await ReadPartialAsync(key, response, range, cancellationToken).ConfigureAwait(false);
            case HttpStatusCode.OK:
                return await ReadWholeAsync(key, response, range, cancellationToken).ConfigureAwait(false);
            default:
                throw await ErrorAsync(key, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string SizeOf(HttpResponseMessage response)
        => response.Content.Headers.ContentRange?.Length is { } n ? $" ({n} bytes)" : "";

    /// <summary>An empty range: the object's metadata, which says whether it exists and how long it is.</summary>
    private async Task<StoreValue?> GetEmptyRangeAsync(string key, string name, ByteRange range, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(key, HttpMethod.Get, ObjectUrl(name), null, default, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(key, response, cancellationToken).ConfigureAwait(false);
        var (size, etag) = await ReadMetadataAsync(key, response, cancellationToken).ConfigureAwait(false);
        if (!range.TryResolve(size, out _, out var length)) throw PastTheEnd(key, range, size);
        if (length != 0) throw new StoreException(key, Backend, $"the value changed while {range} was read", isTransient: true);
        return new StoreValue(ReadOnlyMemory<byte>.Empty, etag, size);
    }

    private async Task<(long Size, string? ETag)> ReadMetadataAsync(string key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = doc.RootElement;
            if (root.TryGetProperty("size", out var s) && long.TryParse(s.ValueKind == JsonValueKind.String ? s.GetString() : s.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                return (size, root.TryGetProperty("etag", out var e) ? e.GetString() : null);
            throw new StoreException(key, Backend, "the object's metadata has no size");
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            throw new StoreException(key, Backend, $"the object's metadata could not be read: {e.Message}", isTransient: e is not JsonException, innerException: Withhold(e));
        }
    }

    /// <summary>A 206: the bytes must be the ones asked for, as many as announced.</summary>
    private async Task<StoreValue> ReadPartialAsync(string key, HttpResponseMessage response, ByteRange range, CancellationToken cancellationToken)
    {
        var contentRange = response.Content.Headers.ContentRange;
        if (contentRange is not { HasRange: true, HasLength: true, From: { } from, To: { } to, Length: { } total })
            throw new StoreException(key, Backend, $"a partial answer without a usable Content-Range ('{contentRange}')", isTransient: true);
        if (!range.TryResolve(total, out var wantStart, out var wantLength)) throw PastTheEnd(key, range, total);
        long length = to - from + 1;
        if (from != wantStart || length != wantLength || (response.Content.Headers.ContentLength is { } cl && cl != length))
            throw new StoreException(key, Backend, $"asked for {range} of {total} bytes, the service answered bytes {from}..{to + 1}", isTransient: true);
        var buffer = await ReadBodyAsync(key, response, length, cancellationToken).ConfigureAwait(false);
        return new StoreValue(buffer, buffer.Length, ETagOf(response), total);
    }

    /// <summary>
    /// A 200: the whole object, asked for or not (a server that ignores ranges; the emulator past the end). The range is
    /// resolved against the real size: past the end is a 416, else the requested bytes are cut out.
    /// </summary>
    private async Task<StoreValue> ReadWholeAsync(string key, HttpResponseMessage response, ByteRange range, CancellationToken cancellationToken)
    {
        long? declared = response.Content.Headers.ContentEncoding.Count == 0 ? response.Content.Headers.ContentLength : null;
        if (declared is { } known && !range.TryResolve(known, out _, out _)) throw PastTheEnd(key, range, known);
        var whole = await ReadBodyAsync(key, response, declared, cancellationToken).ConfigureAwait(false);
        if (!range.TryResolve(whole.Length, out var start, out var length))
        {
            whole.Dispose();
            throw PastTheEnd(key, range, whole.Length);
        }
        if (start == 0 && length == whole.Length) return new StoreValue(whole, whole.Length, ETagOf(response), whole.Length);
        using (whole)
        {
            var part = PooledBuffer.CopyOf(whole.Span.Slice((int)start, (int)length));
            return new StoreValue(part, part.Length, ETagOf(response), whole.Length);
        }
    }

    private async Task<PooledBuffer> ReadBodyAsync(string key, HttpResponseMessage response, long? expected, CancellationToken cancellationToken)
    {
        PooledBuffer buffer;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            buffer = await PooledBuffer.ReadFromAsync(body, expected, Array.MaxLength, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new StoreException(key, Backend, $"the response body failed after it started: {e.Message}", isTransient: true, innerException: Withhold(e));
        }
        if (expected is { } n && buffer.Length != n)
        {
            buffer.Dispose();
            throw new StoreException(key, Backend, $"the response ended after {buffer.Length} of {n} bytes", isTransient: true);
        }
        return buffer;
    }

    private static string? ETagOf(HttpResponseMessage response)
    {
        // Cloud Storage's media ETags are not always quoted, which the typed header rejects: read the raw value, and
        // keep it unquoted, as the object's metadata has it, so both kinds of read give the same ETag.
        if (response.Headers.NonValidated.TryGetValues("ETag", out var etag)) return etag.ToString().Trim('"');
        return response.Headers.NonValidated.TryGetValues("x-goog-generation", out var generation) ? generation.ToString() : null;
    }

    private static StoreException PastTheEnd(string key, ByteRange range, long size)
        => new(key, Backend, $"range {range} starts past the end of the value ({size} bytes)", 416);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        return StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);
    }

    // ------------------------------------------------------------------ writes

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var name = ObjectName(key);
        if (ReadOnly) throw new StoreException(key, Backend, "the store is read-only");
        var url = AppendQuery(new StringBuilder(_service).Append("/upload/storage/v1/b/").Append(Uri.EscapeDataString(Bucket)).Append("/o"),
            "uploadType=media&name=" + Uri.EscapeDataString(name));
        var content = new ReadOnlyMemoryContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await WithTimeoutAsync(key, async ct =>
        {
            using var response = await SendAsync(key, HttpMethod.Post, url, content, default, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(key, response, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var name = ObjectName(key);
        if (ReadOnly) throw new StoreException(key, Backend, "the store is read-only");
        await WithTimeoutAsync(key, async ct =>
        {
            using var response = await SendAsync(key, HttpMethod.Delete, ObjectUrl(name), null, default, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound) throw await ErrorAsync(key, response, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ listing

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await foreach (var page in PagesAsync(_root + prefix, null, prefix, cancellationToken).ConfigureAwait(false))
            foreach (var name in page.Names)
                if (!name.EndsWith('/')) yield return name[_root.Length..];
    }

    /// <inheritdoc />
    public async ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = prefix.Trim('/');
        if (prefix.Length > 0) StoreKeys.Validate(prefix);
        var full = _root + (prefix.Length == 0 ? "" : prefix + "/");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var page in PagesAsync(full, "/", prefix, cancellationToken).ConfigureAwait(false))
        {
            // A folder placeholder object ("dir/") is not a key; prefixes may repeat across pages.
            foreach (var name in page.Names) if (name.Length > full.Length && !name.EndsWith('/')) keys.Add(name[full.Length..]);
            foreach (var p in page.Prefixes) if (p.Length > full.Length) folders.Add(p[full.Length..].TrimEnd('/'));
        }
        return (keys.ToList(), folders.ToList());
    }

    private sealed record ListPage(List<string> Names, List<string> Prefixes);

    /// <summary>The pages of an objects listing, following page tokens; a missing bucket lists nothing.</summary>
    private async IAsyncEnumerable<ListPage> PagesAsync(string prefix, string? delimiter, string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var query = new StringBuilder("prefix=").Append(Uri.EscapeDataString(prefix));
            if (delimiter is not null) query.Append("&delimiter=").Append(Uri.EscapeDataString(delimiter));
            if (_listPageSize is { } n) query.Append("&maxResults=").Append(n.ToString(CultureInfo.InvariantCulture));
            if (token is not null) query.Append("&pageToken=").Append(Uri.EscapeDataString(token));
            query.Append("&fields=").Append(Uri.EscapeDataString("items(name),prefixes,nextPageToken"));
            var url = AppendQuery(new StringBuilder(_service).Append("/storage/v1/b/").Append(Uri.EscapeDataString(Bucket)).Append("/o"), query.ToString());
            var (page, next) = await WithTimeoutAsync(key, async ct =>
            {
                using var response = await SendAsync(key, HttpMethod.Get, url, null, default, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound) return (null, null);
                if (!response.IsSuccessStatusCode) throw await ErrorAsync(key, response, ct).ConfigureAwait(false);
                return await ReadPageAsync(key, response, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (page is null) yield break;
            token = next;
            yield return page;
        }
        while (token is not null);
    }

    private async Task<(ListPage? Page, string? NextToken)> ReadPageAsync(string key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = doc.RootElement;
            var names = new List<string>();
            var prefixes = new List<string>();
            // An empty listing has no "items" at all.
            if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
                foreach (var item in items.EnumerateArray())
                    if (item.TryGetProperty("name", out var n) && n.GetString() is { } name) names.Add(name);
            if (root.TryGetProperty("prefixes", out var ps) && ps.ValueKind == JsonValueKind.Array)
                foreach (var p in ps.EnumerateArray())
                    if (p.GetString() is { } s) prefixes.Add(s);
            var next = root.TryGetProperty("nextPageToken", out var t) && t.GetString() is { Length: > 0 } tok ? tok : null;
            return (new ListPage(names, prefixes), next);
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            throw new StoreException(key, Backend, $"the listing could not be read: {e.Message}", isTransient: e is not JsonException, innerException: Withhold(e));
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => $"GcsStore(gs://{Bucket}{(Prefix.Length == 0 ? "" : "/" + Prefix)}{(ServiceUri == DefaultService ? "" : $" at {ServiceUri.GetLeftPart(UriPartial.Authority)}")})";
}
