using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>A request as <see cref="FakeHttpServer"/> saw it.</summary>
public sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A misbehaving HTTP server on 127.0.0.1 for fault tests of the cloud stores (linked into their test projects): each connection carries one request, answered with the raw
/// bytes the handler returns (any status, headers, lengths, even a body shorter than declared), or never (null).
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeRequest, byte[]?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FakeRequest> _requests = [];
    private readonly Task _loop;

    public FakeHttpServer(Func<FakeRequest, byte[]?> respond)
    {
        _respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public IReadOnlyList<FakeRequest> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>An HTTP/1.1 response; <paramref name="declaredLength"/> overrides Content-Length (to send less than announced).</summary>
    public static byte[] Response(int status, byte[] body, long? declaredLength = null, params (string Name, string Value)[] headers)
    {
        var sb = new StringBuilder($"HTTP/1.1 {status} {(HttpStatusCode)status}\r\nConnection: close\r\nContent-Length: {declaredLength ?? body.Length}\r\n");
        foreach (var (n, v) in headers) sb.Append(n).Append(": ").Append(v).Append("\r\n");
        sb.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(sb.ToString()), .. body];
    }

    public static byte[] Json(int status, string json) => Response(status, Encoding.UTF8.GetBytes(json), null, ("Content-Type", "application/json"));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new List<byte>();
                var one = new byte[1];
                while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0) return;
                    head.Add(one[0]);
                }
                var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var parts = lines[0].Split(' ');
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
                if (headers.TryGetValue("content-length", out var cl) && long.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var n)
                {
                    var body = new byte[n];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                }
                var request = new FakeRequest(parts[0], parts[1], headers);
                lock (_requests) _requests.Add(request);
                var response = _respond(request);
                if (response is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                if (request.Method == "HEAD")
                {
                    // A HEAD answer has headers only, whatever the handler wrote after them.
                    int end = response.AsSpan().IndexOf("\r\n\r\n"u8);
                    if (end >= 0) response = response[..(end + 4)];
                }
                await stream.WriteAsync(response, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // the client went away, or the server stops
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
