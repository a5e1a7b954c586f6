using System.Collections.Concurrent;

namespace Zarr.Cloud.Tests.Storage;

/// <summary>An HttpClient handler that remembers every exchange (method, URL, Range header, status) for assertions.</summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public sealed record Exchange(string Method, Uri Uri, string? Range, int Status, string? Authorization);

    private readonly ConcurrentQueue<Exchange> _exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => _exchanges.ToList();

    public void Clear() => _exchanges.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var range = request.Headers.TryGetValues("Range", out var r) ? string.Join(",", r) : null;
        _exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!, range, (int)response.StatusCode, request.Headers.Authorization?.ToString()));
        return response;
    }
}
