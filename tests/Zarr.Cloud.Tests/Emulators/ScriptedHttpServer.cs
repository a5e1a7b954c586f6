using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each request with raw bytes a test writes, for what no real
/// server does on purpose: bodies shorter than their Content-Length, a wrong Content-Range, never answering.
/// One request per connection; the connection is closed after the answer.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    /// <summary>A request as received.</summary>
    /// <param name="Method">GET, HEAD, PUT...</param>
    /// <param name="Target">The request target (path and query).</param>
    /// <param name="Headers">The headers, names in lower case.</param>
    public sealed record Request(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Range => Headers.TryGetValue("range", out var r) ? r : null;
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, byte[]?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Request> _requests = [];
    private readonly bool _holdOpen;

    /// <summary>Starts answering with <paramref name="answer"/>; a null answer keeps the connection open, unanswered.</summary>
    /// <param name="answer">The raw response bytes for a request.</param>
    /// <param name="holdOpen">Keep the connection open after the answer (a body that stalls) instead of closing it.</param>
    public ScriptedHttpServer(Func<Request, byte[]?> answer, bool holdOpen = false)
    {
        _answer = answer;
        _holdOpen = holdOpen;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The requests received so far.</summary>
    public IReadOnlyList<Request> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>A response with a status line, headers and a body written as is (Content-Length is not added).</summary>
    /// <param name="status">"200 OK", "206 Partial Content"...</param>
    /// <param name="headers">Header lines, e.g. "Content-Length: 10".</param>
    /// <param name="body">The body bytes.</param>
    public static byte[] Response(string status, IEnumerable<string> headers, byte[]? body = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\n");
        foreach (var h in headers) head.Append(h).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body ?? []];
    }

    private async Task AcceptLoopAsync()
    {
        var open = new List<TcpClient>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                open.Add(client);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException) { /* stopping */ }
        catch (SocketException) { /* stopping */ }
        catch (ObjectDisposedException) { /* stopping */ }
        finally
        {
            foreach (var c in open) c.Dispose();
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            if (request is null) return;
            lock (_requests) _requests.Add(request);
            var answer = _answer(request);
            if (answer is not null)
            {
                await stream.WriteAsync(answer, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            if (answer is null || _holdOpen)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token); // never answer, or never finish
                return;
            }
            client.Client.Shutdown(SocketShutdown.Send);
            // Let the client read everything before the socket goes away.
            var drain = new byte[256];
            while (await stream.ReadAsync(drain, _stop.Token) > 0) { }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away, or the server is stopping
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task<Request?> ReadRequestAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') break;
        }
        var lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        // Consume a request body (a PUT) so the client is not reset while sending it.
        if (headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, out var length))
        {
            var buffer = new byte[8192];
            while (length > 0)
            {
                int r = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)));
                if (r == 0) break;
                length -= r;
            }
        }
        return new Request(parts[0], parts.Length > 1 ? parts[1] : "/", headers);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; }
        catch (Exception e) when (e is OperationCanceledException or SocketException) { /* stopped */ }
        _stop.Dispose();
    }
}
