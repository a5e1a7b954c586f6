using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// remote: a MUR-SST-like Zarr v2 store served by nginx behind <see cref="LatencyProxy"/> (20 ms per request), read
/// cold by zarr-python 2.13 + fsspec (a subprocess per read) and by Zarr.Cloud (a fresh open by URL per read),
/// alternating, in one run: (a) one point's time series, (b) the whole array. Prints medians, the requests the
/// proxy counted, and the latency bound.
/// </summary>
internal static class RemoteHarness
{
    private const int Times = 730;

    private sealed record Options(int Rounds, string DataDir, string Python, double DelayMs, int Concurrency, int Lat, int Lon, int PointLat, int PointLon, string Only, int WaitIdleSeconds);

    private sealed record ProxyStats(long Requests, long BodyBytes, long Connections, double MeanDelayMs, long Errors);

    private sealed record Measurement(double Seconds, long ResultBytes, string Sha256, ProxyStats Proxy, string Peer = "");

    private sealed record Scenario(string Name, string Label, Selection Selection, string[] PythonArgs, string ExpectedSha, long ChunkRequests);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!HarnessArguments.TryParse(args, Parse, out Options o)) return 2;
        Directory.CreateDirectory(o.DataDir);
        var name = $"mur-like-{Times}x{o.Lat}x{o.Lon}-p{o.PointLat}-{o.PointLon}.zarr";
        using var info = EnsureDataset(o, Path.Combine(o.DataDir, name));
        var d = info.RootElement;
        long rawBytes = d.GetProperty("raw_bytes").GetInt64();
        long chunkCount = d.GetProperty("chunk_count").GetInt64();
        long seriesChunks = (Times + 4) / 5;

        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"dataset: {Path.Combine(o.DataDir, name)} (written by zarr-python {d.GetProperty("zarr")}, numcodecs {d.GetProperty("numcodecs")})");
        Console.WriteLine($"  analysed_sst int16 {d.GetProperty("shape")}, chunks {d.GetProperty("chunks")} ({chunkCount} chunks), Blosc zstd clevel 5 + shuffle, land fraction {d.GetProperty("land_fraction").GetDouble():P0}");
        Console.WriteLine($"  {rawBytes / 1048576.0:F1} MiB raw, {d.GetProperty("stored_bytes").GetInt64() / 1048576.0:F1} MiB stored (ratio {d.GetProperty("ratio").GetDouble():F2}); consolidated .zmetadata");

        using var nginx = await NginxServer.StartAsync(o.DataDir).ConfigureAwait(false);
        await using var proxy = ProxyProcess.Start(nginx.Port, o.DelayMs);
        var url = $"http://127.0.0.1:{proxy.Port}/{name}";
        Console.WriteLine($"server: {nginx}; latency proxy (own process) on 127.0.0.1:{proxy.Port}, +{o.DelayMs} ms per request");
        Console.WriteLine($"URL: {url}");
        Console.WriteLine($"Zarr.Cloud concurrency: ZarrOpenOptions.MaxConcurrency = {o.Concurrency}, StoreOpenOptions.MaxInFlightRequests = {o.Concurrency}");
        await CheckProxyAsync(proxy, url, o).ConfigureAwait(false);

        var scenarios = new List<Scenario>();
        if (o.Only is "" or "series")
        {
            scenarios.Add(new Scenario("series", $"(a) time series analysed_sst[:, {o.PointLat}, {o.PointLon}]",
                Selection.Parse($":,{o.PointLat},{o.PointLon}", 3), ["series", $"{o.PointLat}", $"{o.PointLon}"], d.GetProperty("series_sha256").GetString()!, seriesChunks));
        }
        if (o.Only is "" or "all")
            scenarios.Add(new Scenario("all", "(b) whole array analysed_sst[...]", Selection.All, ["all"], d.GetProperty("sha256").GetString()!, chunkCount));

        // Warm-up (not counted): JIT, page cache, Python's bytecode cache.
        foreach (var s in scenarios)
        {
            var w = await MeasureDotnetAsync(proxy, url, s, o).ConfigureAwait(false);
            var p = MeasurePython(proxy, url, s, o);
            Console.WriteLine($"warm-up {s.Name}: Zarr.Cloud {w.Seconds * 1000:F0} ms ({w.Proxy.Requests} requests, {w.Proxy.Connections} new connections), zarr-python {p.Seconds * 1000:F0} ms ({p.Proxy.Requests} requests, {p.Proxy.Connections} connections; {p.Peer})");
        }

        // What opening costs us (warm: after the reads above), before any chunk: requests and time, median of 3.
        var openTimes = new List<double>();
        ProxyStats openStats = null!;
        ZarrArray opened = null!;
        for (int i = 0; i < 3; i++)
        {
            proxy.Reset();
            var open = Stopwatch.StartNew();
            opened = await OpenAsync(url, o).ConfigureAwait(false);
            openTimes.Add(open.Elapsed.TotalMilliseconds);
            openStats = proxy.Stats();
        }
        double openMs = ReadLocalHarness.Median(openTimes);
        Console.WriteLine($"Zarr.Cloud open (group by URL, then analysed_sst): {openStats.Requests} requests, {openMs:F0} ms (median of 3); {opened}");

        var results = scenarios.ToDictionary(s => s.Name, _ => (Python: new List<Measurement>(), Dotnet: new List<Measurement>()));
        Console.WriteLine();
        Console.WriteLine("round  read    first        zarr-python ms (requests)  Zarr.Cloud ms (requests)  ratio  proxy mean delay ms (py / .NET)  load average");
        for (int r = 0; r < o.Rounds; r++)
        {
            foreach (var s in scenarios)
            {
                string waited = o.WaitIdleSeconds > 0 ? ReadLocalHarness.WaitForIdle(o.WaitIdleSeconds) : "";
                bool pythonFirst = r % 2 == 0;
                Measurement py, dn;
                if (pythonFirst)
                {
                    py = MeasurePython(proxy, url, s, o);
                    dn = await MeasureDotnetAsync(proxy, url, s, o).ConfigureAwait(false);
                }
                else
                {
                    dn = await MeasureDotnetAsync(proxy, url, s, o).ConfigureAwait(false);
                    py = MeasurePython(proxy, url, s, o);
                }
                results[s.Name].Python.Add(py);
                results[s.Name].Dotnet.Add(dn);
                Console.WriteLine($"{r + 1,5}  {s.Name,-6}  {(pythonFirst ? "zarr-python" : "Zarr.Cloud"),-11}  {py.Seconds * 1000,14:F0} ({py.Proxy.Requests,5})  {dn.Seconds * 1000,13:F0} ({dn.Proxy.Requests,5})  {py.Seconds / dn.Seconds,5:F2}  {py.Proxy.MeanDelayMs,13:F2} / {dn.Proxy.MeanDelayMs,-13:F2}  {LoadAverage()}{waited}");
            }
        }
        Console.WriteLine("(every read: Zarr.Cloud's and zarr-python's values have the sha256 of the data written; the proxy saw no errors)");

        Console.WriteLine();
        Console.WriteLine($"Median of {o.Rounds} alternating rounds, cold reads (fresh open by URL, no cache), +{o.DelayMs} ms per request, Zarr.Cloud concurrency {o.Concurrency}:");
        Console.WriteLine();
        Console.WriteLine($"| read | chunks | zarr-python 2.13 + fsspec | Zarr.Cloud | speed-up (paired median) | latency bound at {o.Concurrency} | Zarr.Cloud / bound | zarr-python / bound |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in scenarios)
        {
            var (py, dn) = results[s.Name];
            double pyMs = ReadLocalHarness.Median(py.Select(x => x.Seconds)) * 1000;
            double dnMs = ReadLocalHarness.Median(dn.Select(x => x.Seconds)) * 1000;
            double paired = ReadLocalHarness.Median(py.Zip(dn, (p, q) => p.Seconds / q.Seconds));
            long rounds = (s.ChunkRequests + o.Concurrency - 1) / o.Concurrency;
            double bound = (1 + rounds) * o.DelayMs;
            string Rate(IEnumerable<Measurement> m, double ms) => s.Name == "all" ? $", {m.First().ResultBytes / 1048576.0 / (ms / 1000):F0} MiB/s" : "";
            string Over(double ms) => bound > 0 ? $"{ms / bound:F2}x" : "-";
            Console.WriteLine($"| {s.Label} | {s.ChunkRequests} | {pyMs:F0} ms ({py[0].Proxy.Requests} requests{Rate(py, pyMs)}) | {dnMs:F0} ms ({dn[0].Proxy.Requests} requests{Rate(dn, dnMs)}) | {pyMs / dnMs:F2}x ({paired:F2}x) | {bound:F0} ms = (1 + {rounds}) x {o.DelayMs} ms | {Over(dnMs)} | {Over(pyMs)} |");
        }
        Console.WriteLine();
        Console.WriteLine($"latency bound: (1 metadata request + ceil(chunks / {o.Concurrency}) rounds of {o.Concurrency} concurrent requests) x {o.DelayMs} ms; latency only (no transfer, no decoding).");
        Console.WriteLine("zarr-python / bound: the largest speed-up any reader limited to that many requests in flight could show over zarr-python in this run.");
        Console.WriteLine($"Zarr.Cloud's open issues {openStats.Requests} requests at once ({openMs:F0} ms measured above).");
        return 0;
    }

    /// <summary>The 1-minute load average (other work on the shared machine), or "?" where there is none.</summary>
    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<ZarrArray> OpenAsync(string url, Options o)
    {
        var options = new ZarrOpenOptions
        {
            MaxConcurrency = o.Concurrency,
            Store = new StoreOpenOptions { ReadOnly = true, MaxInFlightRequests = o.Concurrency },
        };
        var group = await ZarrGroup.OpenAsync(url, options).ConfigureAwait(false);
        return await group.OpenArrayAsync("analysed_sst").ConfigureAwait(false);
    }

    /// <summary>One cold read: open by URL (no cache kept between reads), then read the selection; timed together.</summary>
    private static async Task<Measurement> MeasureDotnetAsync(ProxyProcess proxy, string url, Scenario s, Options o)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        proxy.Reset();
        var sw = Stopwatch.StartNew();
        var array = await OpenAsync(url, o).ConfigureAwait(false);
        var values = await array.ReadAsync<short>(s.Selection).ConfigureAwait(false);
        sw.Stop();
        var stats = proxy.Stats();
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Check("Zarr.Cloud", s, sha, stats);
        return new Measurement(sw.Elapsed.TotalSeconds, bytes.Length, sha, stats);
    }

    private static Measurement MeasurePython(ProxyProcess proxy, string url, Scenario s, Options o)
    {
        proxy.Reset();
        var output = ReadLocalHarness.RunProcess(o.Python, [ScriptPath("read_remote_zarr_python.py"), url, .. s.PythonArgs]);
        var stats = proxy.Stats();
        using var doc = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        var r = doc.RootElement;
        var sha = r.GetProperty("sha256").GetString()!;
        Check("zarr-python", s, sha, stats);
        var peer = $"zarr {r.GetProperty("zarr")}, fsspec {r.GetProperty("fsspec")}, aiohttp {r.GetProperty("aiohttp")}, {r.GetProperty("store")}, {r.GetProperty("concurrency")} requests in flight at most";
        return new Measurement(r.GetProperty("seconds").GetDouble(), r.GetProperty("bytes").GetInt64(), sha, stats, peer);
    }

    private static void Check(string reader, Scenario s, string sha, ProxyStats stats)
    {
        if (sha != s.ExpectedSha) throw new InvalidOperationException($"{reader} read {s.Name} with sha256 {sha}; the data written has {s.ExpectedSha}.");
        if (stats.Errors != 0) throw new InvalidOperationException($"the latency proxy had {stats.Errors} errors while {reader} read {s.Name}.");
    }

    /// <summary>
    /// The proxy must delay every request on a keep-alive connection (3 in a row on one connection take 3 delays) and
    /// must not serialize concurrent ones (128 at once take about one delay).
    /// </summary>
    private static async Task CheckProxyAsync(ProxyProcess proxy, string url, Options o)
    {
        var zgroup = new Uri(url + "/.zgroup");
        var chunk = new Uri(url + "/analysed_sst/0.0.0");
        using var one = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        await one.GetByteArrayAsync(zgroup).ConfigureAwait(false); // connect
        proxy.Reset();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++) await one.GetByteArrayAsync(zgroup).ConfigureAwait(false);
        double sequentialMs = sw.Elapsed.TotalMilliseconds;
        var seq = proxy.Stats();
        if (seq.Requests != 3 || seq.Connections != 0 || sequentialMs < 3 * o.DelayMs * 0.95)
            throw new InvalidOperationException($"latency proxy check failed: 3 requests on one keep-alive connection took {sequentialMs:F1} ms ({seq}); expected at least {3 * o.DelayMs} ms, 3 requests, no new connection");

        using var many = new HttpClient(new SocketsHttpHandler());
        double burstMs = 0;
        for (int attempt = 0; attempt < 3; attempt++) // the first burst also opens the connections
        {
            proxy.Reset();
            sw.Restart();
            await Task.WhenAll(Enumerable.Range(0, 128).Select(_ => many.GetByteArrayAsync(chunk))).ConfigureAwait(false);
            burstMs = sw.Elapsed.TotalMilliseconds;
        }
        var burst = proxy.Stats();
        Console.WriteLine($"proxy check: 3 sequential requests on one keep-alive connection {sequentialMs:F1} ms (>= {3 * o.DelayMs} ms: delayed per request); 128 concurrent chunk requests {burstMs:F1} ms ({burst.Requests} requests, mean delay applied {burst.MeanDelayMs:F2} ms)");
        if (burstMs > 4 * o.DelayMs)
            Console.WriteLine($"  WARNING: 128 concurrent requests took more than 4 delays: the relay or the machine is a bottleneck");
    }

    private static Options Parse(string[] args)
    {
        int rounds = 5, concurrency = 64, lat = 360, lon = 720, pi = 190, pj = 400, waitIdle = 0;
        double delay = 20;
        string data = "/tmp/zarr-bench", python = "/usr/bin/python3", only = "";
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--rounds": rounds = NextInt(); break;
                case "--data": data = Next(); break;
                case "--python": python = Next(); break;
                case "--delay-ms": delay = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = NextInt(); break;
                case "--lat": lat = NextInt(); break;
                case "--lon": lon = NextInt(); break;
                case "--point":
                    var parts = Next().Split(',');
                    if (parts.Length != 2) throw new ArgumentException("--point needs LAT_INDEX,LON_INDEX");
                    pi = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    pj = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "--only": only = Next(); break;
                case "--wait-idle": waitIdle = NextInt(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (rounds < 1) throw new ArgumentException("--rounds must be at least 1");
        if (concurrency < 1) throw new ArgumentException("--concurrency must be at least 1");
        if (delay < 0) throw new ArgumentException("--delay-ms must not be negative");
        if (lat < 90 || lat % 90 != 0 || lon < 180 || lon % 180 != 0) throw new ArgumentException("--lat must be a multiple of 90 and --lon a multiple of 180 (whole chunks)");
        if ((long)Times * lat * lon * 2 > Array.MaxLength) throw new ArgumentException("--lat x --lon is too large for one .NET array of int16");
        if (pi < 0 || pi >= lat || pj < 0 || pj >= lon) throw new ArgumentException($"--point must be inside [0, {lat}) x [0, {lon})");
        if (only is not ("" or "series" or "all")) throw new ArgumentException("--only must be 'series' or 'all'");
        return new Options(rounds, data, python, delay, concurrency, lat, lon, pi, pj, only, waitIdle);
    }

    private static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <summary>Creates the dataset with zarr-python once; its description (with the sha256 of the data) is cached next to it.</summary>
    private static JsonDocument EnsureDataset(Options o, string path)
    {
        var infoPath = path + ".json";
        if (File.Exists(infoPath) && File.Exists(Path.Combine(path, ".zmetadata")))
            return JsonDocument.Parse(File.ReadAllText(infoPath));
        Console.WriteLine($"creating {path} with zarr-python ({o.Python}) ...");
        var output = ReadLocalHarness.RunProcess(o.Python, [ScriptPath("make_mur_dataset.py"), path, .. new[] { o.Lat, o.Lon, o.PointLat, o.PointLon }.Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        var doc = JsonDocument.Parse(line);
        File.WriteAllText(infoPath, line);
        return doc;
    }

    /// <summary>The latency proxy in a child process (this program's <c>latency-proxy</c> mode), driven through its stdin.</summary>
    private sealed class ProxyProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ProxyProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static ProxyProcess Start(int upstreamPort, double delayMs)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            var psi = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(RemoteHarness).Assembly.Location);
            foreach (var a in new[] { "latency-proxy", upstreamPort.ToString(CultureInfo.InvariantCulture), delayMs.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the latency proxy");
            var first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the latency proxy exited before saying its port");
            return new ProxyProcess(process, int.Parse(first, CultureInfo.InvariantCulture));
        }

        public void Reset()
        {
            _process.StandardInput.WriteLine("reset");
            if (_process.StandardOutput.ReadLine() != "ok") throw new InvalidOperationException("the latency proxy did not reset");
        }

        public ProxyStats Stats()
        {
            _process.StandardInput.WriteLine("stats");
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the latency proxy exited");
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new ProxyStats(r.GetProperty("requests").GetInt64(), r.GetProperty("body_bytes").GetInt64(), r.GetProperty("connections").GetInt64(),
                r.GetProperty("mean_delay_ms").GetDouble(), r.GetProperty("errors").GetInt64());
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { _process.Kill(); }
            }
            _process.Dispose();
        }
    }
}
