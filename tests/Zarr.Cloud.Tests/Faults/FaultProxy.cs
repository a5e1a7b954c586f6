using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// A real HTTP/1.1 reverse proxy on a free port of 127.0.0.1 in front of one upstream server (nginx, s3rver), which
/// injects faults into a share of the requests, chosen by a seeded <see cref="Random"/>: connection resets, 503 with and
/// without Retry-After, 429, 500, delays and bodies cut short (see <see cref="FaultKind"/>). Everything else is forwarded
/// unchanged, headers included (Host, Range, signatures), so signed S3 requests stay valid. Keep-alive toward the client
/// is kept; each request gets a fresh upstream connection. Bodies framed by Content-Length, chunked or close-delimited
/// are relayed as they are. <see cref="Injected"/> counts the faults really injected, so tests can prove they happened.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly FaultProxyOptions _options;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly List<(Func<string, bool> Matches, FaultKind Kind)> _rules = [];
    private readonly int[] _injected = new int[Enum.GetValues<FaultKind>().Length];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _requests;
    private int _connectionCount;
    private int _retryAfterTurn;

    /// <summary>Starts a proxy to <paramref name="upstream"/> (its scheme, host and port; http only).</summary>
    public FaultProxy(Uri upstream, FaultProxyOptions? options = null)
    {
        if (upstream.Scheme != Uri.UriSchemeHttp) throw new ArgumentException("The fault proxy forwards plain http only.", nameof(upstream));
        _upstreamHost = upstream.Host;
        _upstreamPort = upstream.Port;
        _options = options ?? new FaultProxyOptions();
        _random = new Random(_options.Seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The URL of <paramref name="relative"/> through the proxy.</summary>
    public Uri Url(string relative) => new(BaseUri, relative);

    /// <summary>Requests received from clients.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Client connections accepted (fewer than <see cref="Requests"/> when clients keep connections alive).</summary>
    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>How many times <paramref name="kind"/> was injected.</summary>
    public int Injected(FaultKind kind) => Volatile.Read(ref _injected[(int)kind]);

    /// <summary>All faults injected.</summary>
    public int InjectedTotal => Enum.GetValues<FaultKind>().Sum(Injected);

    /// <summary>Every request whose target (path and query) <paramref name="matches"/> gets <paramref name="kind"/>, whatever the rate.</summary>
    public void Always(Func<string, bool> matches, FaultKind kind)
    {
        lock (_rules) _rules.Add((matches, kind));
    }

    private FaultKind? Choose(string target)
    {
        lock (_rules)
        {
            foreach (var (matches, kind) in _rules)
                if (matches(target)) return kind;
        }
        lock (_random)
        {
            if (_options.Kinds.Count == 0 || _random.NextDouble() >= _options.Rate) return null;
            return _options.Kinds[_random.Next(_options.Kinds.Count)];
        }
    }

    private void Count(FaultKind kind) => Interlocked.Increment(ref _injected[(int)kind]);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            client.NoDelay = true;
            Interlocked.Increment(ref _connectionCount);
            var task = Task.Run(() => ServeAsync(client));
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var ct = _stop.Token;
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var reader = new HttpWireReader(stream);
                while (!ct.IsCancellationRequested)
                {
                    var head = await reader.ReadHeadAsync(ct);
                    if (head is null) return;
                    Interlocked.Increment(ref _requests);
                    var request = HttpHead.Parse(head);
                    if (request.Has("Expect", "100-continue"))
                    {
                        // Answer the expectation here and drop the header: upstream gets the body at once.
                        await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct);
                        request = request.Without("Expect");
                    }
                    var body = new MemoryStream();
                    if (request.IsChunked) await reader.CopyChunkedAsync(body, ct);
                    else if (request.ContentLength is long n) await reader.CopyAsync(n, body, ct);

                    var fault = Choose(request.Target);
                    switch (fault)
                    {
                        case FaultKind.Reset:
                            Count(FaultKind.Reset);
                            client.Client.LingerState = new LingerOption(true, 0);
                            client.Client.Close();
                            return;
                        case FaultKind.ServiceUnavailable:
                        case FaultKind.ServiceUnavailableRetryAfter:
                        case FaultKind.TooManyRequests:
                        case FaultKind.InternalServerError:
                            Count(fault.Value);
                            await stream.WriteAsync(ErrorAnswer(fault.Value, request.Method == "HEAD"), ct);
                            if (request.Has("Connection", "close")) return;
                            continue;
                        case FaultKind.Delay:
                            Count(FaultKind.Delay);
                            await Task.Delay(_options.Delay, ct);
                            break;
                    }
                    bool keepOpen = await ForwardAsync(request, body, stream, client, truncate: fault == FaultKind.TruncatedBody, ct);
                    if (!keepOpen || request.Has("Connection", "close")) return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // The client or the upstream went away, or the proxy is stopping: this connection ends.
        }
    }

    /// <summary>Sends the request upstream and relays the answer; false when the client connection must close afterwards.</summary>
    private async Task<bool> ForwardAsync(HttpHead request, MemoryStream body, NetworkStream client, TcpClient clientSocket, bool truncate, CancellationToken ct)
    {
        using var upstream = new TcpClient { NoDelay = true };
        await upstream.ConnectAsync(_upstreamHost, _upstreamPort, ct);
        var up = upstream.GetStream();
        await up.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()), ct);
        body.Position = 0;
        await body.CopyToAsync(up, ct);
        var reader = new HttpWireReader(up);
        var head = await reader.ReadHeadAsync(ct) ?? throw new IOException("the upstream closed without an answer");
        var response = HttpHead.Parse(head);
        int status = int.Parse(response.Target, CultureInfo.InvariantCulture);
        bool hasBody = request.Method != "HEAD" && status is >= 200 and not 204 and not 304;
        await client.WriteAsync(Encoding.Latin1.GetBytes(response.ToString()), ct);
        if (!hasBody) return !response.Has("Connection", "close");
        if (response.IsChunked)
        {
            await reader.CopyChunkedAsync(client, ct);
        }
        else if (response.ContentLength is long length)
        {
            if (truncate && length > 1)
            {
                Count(FaultKind.TruncatedBody);
                await reader.CopyAsync(length / 2, client, ct);
                await client.FlushAsync(ct);
                clientSocket.Client.Shutdown(SocketShutdown.Both);
                return false;
            }
            await reader.CopyAsync(length, client, ct);
        }
        else
        {
            await reader.CopyToEndAsync(client, ct);
            return false; // the end of the body is the end of the connection
        }
        return !response.Has("Connection", "close");
    }

    private byte[] ErrorAnswer(FaultKind kind, bool head)
    {
        var (status, reason, code) = kind switch
        {
            FaultKind.TooManyRequests => (429, "Too Many Requests", "SlowDown"),
            FaultKind.InternalServerError => (500, "Internal Server Error", "InternalError"),
            _ => (503, "Service Unavailable", "SlowDown"),
        };
        var body = head ? "" : $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected by FaultProxy</Message></Error>";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\n");
        if (kind == FaultKind.ServiceUnavailableRetryAfter)
        {
            // Both forms of RFC 9110's Retry-After, in turn: delta-seconds and an HTTP date.
            var seconds = (int)Math.Ceiling(_options.RetryAfter.TotalSeconds);
            var value = Interlocked.Increment(ref _retryAfterTurn) % 2 == 0
                ? seconds.ToString(CultureInfo.InvariantCulture)
                : DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("r", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"Retry-After: {value}\r\n");
        }
        text.Append("\r\n").Append(body);
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
