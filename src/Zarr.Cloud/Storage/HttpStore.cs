using System.Net;
using System.Net.Http.Headers;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Storage;

/// <summary>
/// A store over any HTTP(S) server: a key is a URL below <see cref="BaseUri"/>. Reads are <c>GET</c>s with a
/// <c>Range</c> header (bounded, from an offset, or a suffix <c>bytes=-N</c>); 404 and 410 mean missing. Read-only
/// unless <see cref="HttpStoreOptions.AllowWrites"/> is set, then writes are <c>PUT</c>s and deletes are
/// <c>DELETE</c>s (a WebDAV server such as nginx's dav module). Plain HTTP cannot list, so
/// <see cref="ListAsync"/> throws <see cref="NotSupportedException"/>: hierarchies are opened over HTTP through
/// consolidated metadata.
/// </summary>
/// <remarks>
/// <para>
/// Nothing the server says is trusted blindly. A server that ignores <c>Range</c> and answers 200 with the whole
/// value is handled: the range is cut out locally. A 206 whose <c>Content-Range</c> is not the range asked for, or
/// a body shorter than its <c>Content-Length</c>, is a <see cref="StoreException"/> (the latter transient), never
/// data. <see cref="HttpClient.Timeout"/> bounds the whole read, body included.
/// </para>
/// <para>
/// Errors: 416 is a <see cref="StoreException"/> with status 416; 5xx, 408, 429, network errors and timeouts are
/// transient; other statuses are not. Messages name the key and the URL with its secrets (signatures, tokens)
/// redacted by <see cref="StoreUrlRedactor"/>. A query string of <see cref="BaseUri"/> (a SAS or presigned token)
/// is sent with every request.
/// </para>
/// </remarks>
public sealed class HttpStore : IAsyncStore
{
    private const string Backend = "http";

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    }));

    private readonly HttpClient _client;
    private readonly HttpStoreOptions _options;
    private readonly string _root;   // scheme://authority/path/ (always ends with '/')
    private readonly string _query;  // "?..." or ""

    /// <summary>
    /// Creates a store that sends its requests through <paramref name="httpClient"/> (for example one from
    /// <c>IHttpClientFactory</c>); the client is not disposed by the store.
    /// </summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="baseUri">The absolute http or https URL of the store root; its query string, if any, is sent with every request.</param>
    /// <param name="options">Options; null for defaults (read-only).</param>
    public HttpStore(HttpClient httpClient, Uri baseUri, HttpStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"An HTTP store needs an absolute http:// or https:// URL, not '{StoreUrlRedactor.Redact(baseUri)}'.", nameof(baseUri));
        _client = httpClient;
        _options = options ?? new HttpStoreOptions();
        var path = baseUri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        _root = path.EndsWith('/') ? path : path + "/";
        _query = baseUri.Query;
        BaseUri = new Uri(_root + _query);
    }

    /// <summary>Creates a store rooted at <paramref name="httpClient"/>'s <see cref="HttpClient.BaseAddress"/> (a typed client of <c>IHttpClientFactory</c>).</summary>
    /// <param name="httpClient">The client; its BaseAddress must be set.</param>
    /// <param name="options">Options; null for defaults (read-only).</param>
    public HttpStore(HttpClient httpClient, HttpStoreOptions? options = null)
        : this(httpClient, httpClient?.BaseAddress ?? throw new ArgumentException("The HttpClient has no BaseAddress; pass the store URL.", nameof(httpClient)), options)
    {
    }

    /// <summary>Creates a store over a client shared by every such store of the process (pooled connections, recycled every 5 minutes).</summary>
    /// <param name="baseUri">The absolute http or https URL of the store root.</param>
    /// <param name="options">Options; null for defaults (read-only).</param>
    public HttpStore(Uri baseUri, HttpStoreOptions? options = null) : this(SharedClient.Value, baseUri, options)
    {
    }

    /// <summary>The store root, always ending with '/', with the query string it was given.</summary>
    public Uri BaseUri { get; }

    /// <inheritdoc />
    public StoreCapabilities Capabilities => StoreCapabilities.Read | StoreCapabilities.ByteRanges | StoreCapabilities.SuffixRanges
        | (_options.AllowWrites ? StoreCapabilities.Write : StoreCapabilities.None);

    /// <summary>The URL of <paramref name="key"/>: every segment percent-encoded, the base query string appended.</summary>
    /// <param name="key">A valid key.</param>
    public Uri UriOf(string key)
    {
        StoreKeys.Validate(key);
        var escaped = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return new Uri(_root + escaped + _query, UriKind.Absolute);
    }

    // ------------------------------------------------------------------ reads

    /// <inheritdoc />
    public async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        using var timeout = StartTimeout(cancellationToken);
        var ct = timeout?.Token ?? cancellationToken;
        try
        {
            bool empty = range.Kind is ByteRangeKind.Bounded or ByteRangeKind.Suffix && range.Length == 0;
            return empty ? await ProbeAsync(key, uri, range, ct).ConfigureAwait(false) : await ReadAsync(key, uri, range, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(key, "GET", uri, e);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        return StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, _options.Coalescing, cancellationToken);
    }

    /// <summary>An empty range: a HEAD tells whether the key exists and how long it is, without a body.</summary>
    private async Task<StoreValue?> ProbeAsync(string key, Uri uri, ByteRange range, CancellationToken ct)
    {
        using var request = NewRequest(HttpMethod.Head, uri);
        using var response = await SendAsync(request, key, ct).ConfigureAwait(false);
        if (IsMissing(response, uri)) return null;
        var status = (int)response.StatusCode;
        if (status is 405 or 501) return await ReadAsync(key, uri, ByteRange.All, ct, range).ConfigureAwait(false); // no HEAD here: read and cut locally
        if (status is < 200 or > 299) throw Failure(key, "HEAD", uri, response);
        var total = response.Content.Headers.ContentLength;
        if (total is null)
        {
            if (range.Offset == 0) return new StoreValue(ReadOnlyMemory<byte>.Empty, ETagOf(response));
            return await ReadAsync(key, uri, ByteRange.All, ct, range).ConfigureAwait(false);
        }
        if (!range.TryResolve(total.Value, out _, out _)) throw Unsatisfiable(key, range, total.Value);
        return new StoreValue(ReadOnlyMemory<byte>.Empty, ETagOf(response), total);
    }

    /// <summary>
    /// GETs <paramref name="request"/> of <paramref name="key"/> and returns <paramref name="wanted"/> of it (the same
    /// range unless a fallback asks for the whole value to cut a range out locally).
    /// </summary>
    private async Task<StoreValue?> ReadAsync(string key, Uri uri, ByteRange request, CancellationToken ct, ByteRange? wanted = null)
    {
        var range = wanted ?? request;
        var header = request.ToHttpHeaderValue();
        using var message = NewRequest(HttpMethod.Get, uri);
        if (header is not null) message.Headers.TryAddWithoutValidation("Range", header);
        using var response = await SendAsync(message, key, ct).ConfigureAwait(false);
        if (IsMissing(response, uri)) return null;
        switch ((int)response.StatusCode)
        {
            case 206 when header is not null:
                return await ReadPartialAsync(key, uri, request, header, response, ct).ConfigureAwait(false);
            case 200:
                return await ReadWholeAndSliceAsync(key, uri, range, response, ct).ConfigureAwait(false);
            case 416:
                var total = response.Content.Headers.ContentRange is { HasRange: false, HasLength: true } cr ? cr.Length : null;
                if (total is long n)
                {
                    // "bytes */N": a suffix or from-0 range of an empty value is an empty value, not an error.
                    if (range.TryResolve(n, out _, out var length) && length == 0) return new StoreValue(ReadOnlyMemory<byte>.Empty, ETagOf(response), n);
                    throw Unsatisfiable(key, range, n);
                }
                if (wanted is null && (range.Kind == ByteRangeKind.Suffix || (range.Kind == ByteRangeKind.FromOffset && range.Offset == 0)))
                    return await ReadAsync(key, uri, ByteRange.All, ct, range).ConfigureAwait(false);
                throw new StoreException(key, Backend, $"range {range} is not satisfiable (GET {StoreUrlRedactor.Redact(uri)} answered 416)", 416);
            default:
                throw Failure(key, "GET", uri, response);
        }
    }

    /// <summary>A 206: the Content-Range must be exactly what was asked for, and the body exactly that long.</summary>
    private async Task<StoreValue> ReadPartialAsync(string key, Uri uri, ByteRange range, string header, HttpResponseMessage response, CancellationToken ct)
    {
        var cr = response.Content.Headers.ContentRange;
        var raw = response.Content.Headers.TryGetValues("Content-Range", out var values) ? string.Join(", ", values) : "(none)";
        if (cr is null || !cr.HasRange || cr.From is null || cr.To is null || !string.Equals(cr.Unit, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            var what = response.Content.Headers.ContentType?.MediaType is { } t && t.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
                ? $"a {t} body" : $"Content-Range '{raw}'";
            throw new StoreException(key, Backend, $"asked for '{header}', GET {StoreUrlRedactor.Redact(uri)} answered 206 with {what}", 206);
        }
        long from = cr.From.Value, to = cr.To.Value;
        long? total = cr.HasLength ? cr.Length : null;
        if (!RangeMatches(range, from, to, total))
            throw new StoreException(key, Backend, $"asked for '{header}', GET {StoreUrlRedactor.Redact(uri)} answered 206 with Content-Range '{raw}'", 206);
        var buffer = await ReadBodyAsync(key, uri, response, to - from + 1, ct).ConfigureAwait(false);
        return new StoreValue(buffer, buffer.Length, ETagOf(response), total);
    }

    /// <summary>True when a 206's <c>bytes from-to/total</c> is the answer to <paramref name="range"/>.</summary>
    internal static bool RangeMatches(ByteRange range, long from, long to, long? total)
    {
        if (from < 0 || to < from || (total is long t && to >= t)) return false;
        long length = to - from + 1;
        if (total is long n)
            return range.TryResolve(n, out var start, out var expected) && start == from && expected == length;
        return range.Kind switch
        {
            ByteRangeKind.Bounded => from == range.Offset && length <= range.Length,
            ByteRangeKind.FromOffset => from == range.Offset,
            ByteRangeKind.Suffix => length <= range.Length,
            _ => false,
        };
    }

    /// <summary>A 200: the whole value (the server ignored Range, or none was asked); the range is cut out here.</summary>
    private async Task<StoreValue> ReadWholeAndSliceAsync(string key, Uri uri, ByteRange range, HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = await ReadBodyAsync(key, uri, response, null, ct).ConfigureAwait(false);
        long total = buffer.Length;
        if (!range.TryResolve(total, out var start, out var length))
        {
            buffer.Dispose();
            throw Unsatisfiable(key, range, total);
        }
        if (start > 0) buffer.Span.Slice((int)start, (int)length).CopyTo(buffer.Span);
        return new StoreValue(buffer, (int)length, ETagOf(response), total);
    }

    /// <summary>
    /// Reads the body: exactly <paramref name="expected"/> bytes when the length is known from Content-Range, else
    /// exactly Content-Length bytes, else to the end. A body that ends early is a transient error, never data.
    /// </summary>
    private static async Task<PooledBuffer> ReadBodyAsync(string key, Uri uri, HttpResponseMessage response, long? expected, CancellationToken ct)
    {
        var declared = response.Content.Headers.ContentLength;
        if (expected is long e && declared is long d && d != e)
            throw new StoreException(key, Backend, $"GET {StoreUrlRedactor.Redact(uri)}: Content-Length {d} disagrees with Content-Range ({e} bytes)", (int)response.StatusCode);
        if (response.Content.Headers.ContentEncoding.Any(c => !c.Equals("identity", StringComparison.OrdinalIgnoreCase)))
            throw new StoreException(key, Backend, $"GET {StoreUrlRedactor.Redact(uri)}: the body is encoded ({string.Join(", ", response.Content.Headers.ContentEncoding)}) although 'identity' was asked for", (int)response.StatusCode);
        var length = expected ?? declared;
        if (length > Array.MaxLength)
            throw new StoreException(key, Backend, $"the value is {length} bytes, more than one buffer can hold; read it in ranges", (int)response.StatusCode);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                if (length is null) return await PooledBuffer.ReadFromAsync(stream, null, Array.MaxLength, ct).ConfigureAwait(false);
                var buffer = new PooledBuffer((int)length.Value);
                try
                {
                    int read = 0;
                    while (read < buffer.Length)
                    {
                        int n = await stream.ReadAsync(buffer.Memory[read..], ct).ConfigureAwait(false);
                        if (n == 0) break;
                        read += n;
                    }
                    if (read < buffer.Length)
                        throw new StoreException(key, Backend, $"GET {StoreUrlRedactor.Redact(uri)}: the body ended after {read} of {buffer.Length} bytes", (int)response.StatusCode, isTransient: true);
                    if (declared is null && await stream.ReadAsync(new byte[1], ct).ConfigureAwait(false) > 0)
                        throw new StoreException(key, Backend, $"GET {StoreUrlRedactor.Redact(uri)}: the body is longer than the {buffer.Length} bytes its Content-Range announced", (int)response.StatusCode);
                    return buffer;
                }
                catch
                {
                    buffer.Dispose();
                    throw;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException and not StoreException)
        {
            throw new StoreException(key, Backend, $"GET {StoreUrlRedactor.Redact(uri)}: the body could not be read ({StoreUrlRedactor.Redact(ex.Message)})", (int)response.StatusCode, isTransient: true, ex);
        }
    }

    // ------------------------------------------------------------------ writes

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        ThrowIfReadOnly(key);
        using var request = NewRequest(HttpMethod.Put, uri);
        request.Content = new ReadOnlyMemoryContent(value);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SendWriteAsync(key, uri, request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var uri = UriOf(key);
        ThrowIfReadOnly(key);
        using var request = NewRequest(HttpMethod.Delete, uri);
        await SendWriteAsync(key, uri, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendWriteAsync(string key, Uri uri, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            using var response = await SendAsync(request, key, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and <= 299) return;
            if (request.Method == HttpMethod.Delete && status is 404 or 410) return; // deleting a missing key is not an error
            throw Failure(key, request.Method.Method, uri, response);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(key, request.Method.Method, uri, e);
        }
    }

    private void ThrowIfReadOnly(string key)
    {
        if (!_options.AllowWrites)
            throw new StoreException(key, Backend, $"the store is read-only ({this}); set HttpStoreOptions.AllowWrites for a server that accepts PUT and DELETE");
    }

    // ------------------------------------------------------------------ listing

    /// <summary>Always throws: plain HTTP has no way to list keys.</summary>
    /// <param name="prefix">Ignored.</param>
    /// <param name="cancellationToken">Ignored.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
        => throw new NotSupportedException(
            $"{this} cannot list keys: plain HTTP has no listing. Open a hierarchy over HTTP through its consolidated metadata " +
            "(.zmetadata, or consolidated_metadata in zarr.json), open arrays by their path, or use the URL of the service " +
            "behind it (s3://, gs://, az://), whose store can list.");

    // ------------------------------------------------------------------ plumbing

    private static HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        // Ranges address the stored bytes; a compressed transfer would make them meaningless.
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        return request;
    }

    /// <summary>A token that also fires after <see cref="HttpClient.Timeout"/>, so the timeout covers the body too.</summary>
    private CancellationTokenSource? StartTimeout(CancellationToken cancellationToken)
    {
        if (_client.Timeout == Timeout.InfiniteTimeSpan) return null;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_client.Timeout);
        return cts;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string key, CancellationToken ct)
    {
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            var transient = e.HttpRequestError is not (HttpRequestError.SecureConnectionError or HttpRequestError.UserAuthenticationError
                or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.VersionNegotiationError);
            throw new StoreException(key, Backend, $"{request.Method} {StoreUrlRedactor.Redact(request.RequestUri)} failed: {StoreUrlRedactor.Redact(e.Message)}",
                e.StatusCode is { } s ? (int)s : null, transient, e);
        }
    }

    /// <summary>404 and 410 are missing; so is a folder (the server redirected to the key's URL with a trailing '/').</summary>
    private static bool IsMissing(HttpResponseMessage response, Uri requested)
    {
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return true;
        var folder = requested.AbsolutePath + "/";
        if (response.RequestMessage?.RequestUri is { } final && final.AbsolutePath == folder) return true;
        return (int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is { } location
            && new Uri(requested, location).AbsolutePath == folder;
    }

    private static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    private static StoreException Failure(string key, string method, Uri uri, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var transient = status >= 500 || status is 408 or 429;
        return new StoreException(key, Backend, $"{method} {StoreUrlRedactor.Redact(uri)} answered {status} {response.ReasonPhrase}", status, transient)
        {
            RetryAfter = RetryAfterHeader.ToDelay(response.Headers.RetryAfter, DateTimeOffset.UtcNow),
        };
    }

    private static StoreException Unsatisfiable(string key, ByteRange range, long total)
        => new(key, Backend, $"range {range} starts past the end of the value ({total} bytes)", 416);

    private StoreException TimedOut(string key, string method, Uri uri, Exception e)
        => new(key, Backend, $"{method} {StoreUrlRedactor.Redact(uri)} timed out after {_client.Timeout.TotalSeconds:0.###} s (HttpClient.Timeout)", null, isTransient: true, e);

    /// <inheritdoc />
    public override string ToString() => $"HttpStore({StoreUrlRedactor.Redact(BaseUri)})";
}
