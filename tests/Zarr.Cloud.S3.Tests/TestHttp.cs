using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;

namespace Zarr.Cloud.S3.Tests;

/// <summary>A request as the store sent it.</summary>
public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

    public bool IsSigned => Header("Authorization") is not null;
}

/// <summary>
/// Sits between the AWS SDK and the network: records every request, may answer it itself (a fake S3 that needs no
/// socket), and may rewrite what the real server answered (e.g. S3's 403 for a missing key of a public bucket).
/// Without an inner handler, anything it does not answer is a 404.
/// </summary>
public sealed class InterceptingHandler : DelegatingHandler
{
    public InterceptingHandler(HttpMessageHandler? inner = null)
        : base(inner ?? new NotFoundHandler())
    {
    }

    /// <summary>Answers a request without the network, or returns null to pass it on.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>>? Respond { get; set; }

    /// <summary>Changes what came back.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage, HttpResponseMessage>? Rewrite { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in request.Headers) headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value);
        if (request.Content is not null) foreach (var h in request.Content.Headers) headers[h.Key.ToLowerInvariant()] = string.Join(",", h.Value);
        Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers));
        var response = Respond is null ? null : await Respond(request, cancellationToken);
        response ??= await base.SendAsync(request, cancellationToken);
        if (Rewrite is not null) response = Rewrite(request, response);
        response.RequestMessage ??= request;
        return response;
    }

    private sealed class NotFoundHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(S3Responses.Error(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist."));
    }

    /// <summary>A real connection to the network (for the emulator), with this handler in front.</summary>
    public static InterceptingHandler OverNetwork() => new(new SocketsHttpHandler { AllowAutoRedirect = false });
}

/// <summary>Gives the SDK HTTP clients that go through one handler.</summary>
public sealed class HandlerHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}

/// <summary>S3's answers, as the service words them.</summary>
public static class S3Responses
{
    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string extra = "", IDictionary<string, string>? headers = null)
    {
        var body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message>{extra}<RequestId>REQ123</RequestId><HostId>HOST123</HostId></Error>";
        var r = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/xml") };
        r.Headers.Add("x-amz-request-id", "REQ123");
        if (headers is not null) foreach (var (k, v) in headers) r.Headers.TryAddWithoutValidation(k, v);
        return r;
    }

    /// <summary>An object, or the part of it a Range header asks for.</summary>
    public static HttpResponseMessage Object(HttpRequestMessage request, byte[] value, string etag = "\"0123456789abcdef0123456789abcdef-1\"")
    {
        var range = request.Headers.Range?.Ranges.SingleOrDefault();
        HttpResponseMessage r;
        if (range is null)
        {
            r = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(value) };
        }
        else
        {
            long start, end;
            if (range.From is null) { start = Math.Max(0, value.Length - range.To!.Value); end = value.Length - 1; }
            else { start = range.From.Value; end = Math.Min(range.To ?? value.Length - 1, value.Length - 1); }
            r = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(value[(int)start..(int)(end + 1)]) };
            r.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(start, end, value.Length);
        }
        r.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue(etag);
        r.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("binary/octet-stream");
        return r;
    }
}

public static class S3StoreOptionsTestExtensions
{
    /// <summary>Sends every request of the store (and its region discovery) through <paramref name="handler"/>.</summary>
    public static S3StoreOptions Through(this S3StoreOptions options, HttpMessageHandler handler)
    {
        var previous = options.ConfigureClient;
        options.ConfigureClient = c =>
        {
            previous?.Invoke(c);
            c.HttpClientFactory = new HandlerHttpClientFactory(handler);
        };
        return options;
    }
}
