using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// An HTTP/1.1 relay on 127.0.0.1 that holds every request for a fixed delay before forwarding it to one upstream
/// server: the network latency of a cloud store, per request, also on keep-alive connections (a TCP relay that
/// delayed connections would charge it once per connection). Each client connection gets its own upstream
/// connection; requests on it are relayed one at a time (HTTP/1.1 without pipelining, as every client here sends
/// them). Bodies are framed by Content-Length (requests and responses); a chunked body is refused, since the
/// upstream, nginx serving files, never sends one. Counts requests, response body bytes, connections and the
/// delay actually applied.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private long _requests, _bodyBytes, _connections, _delayTicks, _errors;

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    public LatencyProxy(IPEndPoint upstream, TimeSpan delay)
    {
        _upstream = upstream;
        _delay = delay;
        _listener.Start(backlog: 1024);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Counters since the last <see cref="Reset"/>: requests relayed, response body bytes, client connections accepted, mean delay applied (ms), relay errors.</summary>
    public string Stats()
    {
        long n = Interlocked.Read(ref _requests);
        double meanMs = n == 0 ? 0 : TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks) / n).TotalMilliseconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"requests\":{n},\"body_bytes\":{Interlocked.Read(ref _bodyBytes)},\"connections\":{Interlocked.Read(ref _connections)},\"mean_delay_ms\":{meanMs:F3},\"errors\":{Interlocked.Read(ref _errors)}}}");
    }

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bodyBytes, 0);
        Interlocked.Exchange(ref _connections, 0);
        Interlocked.Exchange(ref _delayTicks, 0);
        Interlocked.Exchange(ref _errors, 0);
    }

    /// <summary>
    /// The <c>latency-proxy</c> mode: a proxy in its own process, so that neither reader shares a thread pool or a GC
    /// with it. Prints its port, then answers lines on stdin: <c>stats</c> (one JSON line), <c>reset</c>, <c>quit</c>.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var upstreamPort) || !double.TryParse(args[1], CultureInfo.InvariantCulture, out var delayMs))
        {
            Console.Error.WriteLine("usage: latency-proxy UPSTREAM_PORT DELAY_MS");
            return 2;
        }
        ThreadPool.SetMinThreads(64, 64);
        await using var proxy = new LatencyProxy(new IPEndPoint(IPAddress.Loopback, upstreamPort), TimeSpan.FromMilliseconds(delayMs));
        Console.WriteLine(proxy.Port.ToString(CultureInfo.InvariantCulture));
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            switch (line.Trim())
            {
                case "stats": Console.WriteLine(proxy.Stats()); break;
                case "reset": proxy.Reset(); Console.WriteLine("ok"); break;
                case "quit": return 0;
                default: Console.WriteLine($"unknown command '{line}'"); break;
            }
        }
        return 0;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => RelayConnectionAsync(client));
        }
    }

    private async Task RelayConnectionAsync(Socket clientSocket)
    {
        clientSocket.NoDelay = true;
        using var upstreamSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var ct = _stop.Token;
        try
        {
            using var clientStream = new NetworkStream(clientSocket, ownsSocket: true);
            var fromClient = new HeadReader(clientStream);
            NetworkStream? upstreamStream = null;
            HeadReader? fromUpstream = null;
            try
            {
                while (true)
                {
                    var request = await fromClient.ReadHeadAsync(ct).ConfigureAwait(false);
                    if (request is null) return; // the client closed the connection between requests
                    var arrived = Stopwatch.GetTimestamp();
                    await Task.Delay(_delay, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _delayTicks, Stopwatch.GetElapsedTime(arrived).Ticks);
                    if (upstreamStream is null)
                    {
                        await upstreamSocket.ConnectAsync(_upstream, ct).ConfigureAwait(false);
                        upstreamStream = new NetworkStream(upstreamSocket, ownsSocket: false);
                        fromUpstream = new HeadReader(upstreamStream);
                    }
                    await upstreamStream.WriteAsync(request.Bytes, ct).ConfigureAwait(false);
                    await fromClient.CopyBodyAsync(request.ContentLength ?? 0, upstreamStream, ct).ConfigureAwait(false);

                    var response = await fromUpstream!.ReadHeadAsync(ct).ConfigureAwait(false)
                        ?? throw new IOException("the upstream closed the connection without answering");
                    await clientStream.WriteAsync(response.Bytes, ct).ConfigureAwait(false);
                    bool bodyless = request.Method == "HEAD" || response.Status is (>= 100 and < 200) or 204 or 304;
                    long length = bodyless ? 0 : response.ContentLength ?? throw new IOException($"the upstream answered {response.Status} without Content-Length");
                    await fromUpstream.CopyBodyAsync(length, clientStream, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _bodyBytes, length);
                    Interlocked.Increment(ref _requests);
                    if (response.Close || request.Close) return;
                }
            }
            finally
            {
                if (upstreamStream is not null) await upstreamStream.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the proxy is stopping
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            Interlocked.Increment(ref _errors);
            Console.Error.WriteLine($"latency proxy: {e.GetType().Name}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>A request or response head: its bytes (through the blank line) and the fields the relay needs.</summary>
    private sealed record Head(byte[] Bytes, string Method, int Status, long? ContentLength, bool Close);

    /// <summary>Reads heads and bodies from one side of a connection, keeping what it read beyond a head for the next read.</summary>
    private sealed class HeadReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        /// <summary>The next head, or null when the peer closed the connection cleanly before sending one.</summary>
        public async Task<Head?> ReadHeadAsync(CancellationToken ct)
        {
            while (true)
            {
                int at = _buffer.AsSpan(_start, _end - _start).IndexOf(HeadEnd);
                if (at >= 0)
                {
                    var bytes = _buffer.AsSpan(_start, at + HeadEnd.Length).ToArray();
                    _start += bytes.Length;
                    return Parse(bytes);
                }
                if (_start > 0)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }
                if (_end == _buffer.Length) throw new InvalidDataException("a head longer than 64 KiB");
                int n = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    if (_end == _start) return null;
                    throw new IOException("the connection closed in the middle of a head");
                }
                _end += n;
            }
        }

        /// <summary>Copies exactly <paramref name="length"/> body bytes to <paramref name="destination"/>.</summary>
        public async Task CopyBodyAsync(long length, Stream destination, CancellationToken ct)
        {
            while (length > 0)
            {
                if (_end == _start)
                {
                    _start = _end = 0;
                    int n = await stream.ReadAsync(_buffer, ct).ConfigureAwait(false);
                    if (n == 0) throw new IOException($"the connection closed with {length} body bytes to go");
                    _end = n;
                }
                int take = (int)Math.Min(length, _end - _start);
                await destination.WriteAsync(_buffer.AsMemory(_start, take), ct).ConfigureAwait(false);
                _start += take;
                length -= take;
            }
        }

        private static Head Parse(byte[] bytes)
        {
            var lines = Encoding.Latin1.GetString(bytes).Split("\r\n");
            var first = lines[0].Split(' ', 3);
            if (first.Length < 2) throw new InvalidDataException($"not an HTTP/1.1 start line: '{lines[0]}'");
            bool isResponse = first[0].StartsWith("HTTP/", StringComparison.Ordinal);
            int status = isResponse ? int.Parse(first[1], CultureInfo.InvariantCulture) : 0;
            long? contentLength = null;
            bool close = false;
            foreach (var line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = long.Parse(value, CultureInfo.InvariantCulture);
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) throw new InvalidDataException($"Transfer-Encoding '{value}' is not supported by the latency proxy");
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase)) close = true;
            }
            return new Head(bytes, isResponse ? "" : first[0], status, contentLength, close);
        }
    }
}
