// Load benchmark of the slice service (not a test): the demo dataset on s3rver, the service in this process pointed at
// it by configuration, a warm-up over every chunk, then N concurrent clients asking random one-chunk slices (format=bin)
// for a fixed time. Reports requests/s, p50/p99 latency, errors, the chunk cache hit ratio (Zarr.Cloud meter) and the
// process's managed heap and working set sampled every second.
//   dotnet run -c Release --project tests/Zarr.Cloud.SliceService.Load -- [--clients 64] [--seconds 30] [--days 365]
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Zarr.Cloud.Diagnostics;
using Zarr.Cloud.S3;
using Zarr.Cloud.Samples.SliceService;
using Zarr.Cloud.Samples.SliceService.Datasets;
using Zarr.Cloud.Tests.Emulators;

var clients = Option("--clients", 64);
var seconds = Option("--seconds", 30);
var days = Option("--days", 365);

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var s3rver = ServerProcess.NpmBin("s3rver") ?? throw new InvalidOperationException("s3rver is not installed: run npm ci in the repository root.");
var work = Path.Combine(Path.GetTempPath(), "zarr-slice-load-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
int port = ServerProcess.FreePort();
await using var server = await ServerProcess.StartAsync("s3rver", s3rver,
    ["-d", Path.Combine(work, "s3"), "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--no-vhost-buckets", "--silent"],
    port, new Dictionary<string, string> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
var endpoint = $"http://127.0.0.1:{port}";
WebApplication? app = null;
try
{
    // 1. The demo dataset, uploaded to a bucket of s3rver.
    var local = Path.Combine(work, "demo.zarr");
    await DemoDataset.EnsureAsync(local, days);
    using (var admin = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = "sst" });
    var upload = new S3Store("sst", "demo.zarr", new S3StoreOptions { Endpoint = endpoint, AccessKeyId = "S3RVER", SecretAccessKey = "S3RVER" });
    var files = Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories).ToList();
    await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (f, ct) =>
        await upload.SetAsync(Path.GetRelativePath(local, f).Replace('\\', '/'), await File.ReadAllBytesAsync(f, ct), ct));
    Console.WriteLine($"uploaded {files.Count} objects ({files.Sum(f => new FileInfo(f).Length) / 1e6:F1} MB) to s3://sst/demo.zarr on s3rver at {endpoint}");

    // 2. The service, pointed at the bucket by configuration only; no rate limit for the benchmark.
    app = await SliceServiceApp.BuildAsync([
        "--urls=http://127.0.0.1:0", "--Demo:Dataset=", "--Logging:LogLevel:Default=Warning",
        "--Zarr:Datasets:demo:Url=s3://sst/demo.zarr", $"--Zarr:Datasets:demo:Endpoint={endpoint}", "--Zarr:Datasets:demo:Anonymous=true",
        "--SliceService:RateLimit:TokenLimit=0",
    ]);
    await app.StartAsync();
    var baseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseAddress };

    int[] chunk = DemoDataset.ChunkShape;
    int nt = (days + chunk[0] - 1) / chunk[0], ny = DemoDataset.Lat / chunk[1], nx = DemoDataset.Lon / chunk[2];
    string Url(int t, int y, int x) => $"api/datasets/demo/arrays/analysed_sst/slice?format=bin&sel={t * chunk[0]}:{Math.Min(days, (t + 1) * chunk[0])},{y * chunk[1]}:{(y + 1) * chunk[1]},{x * chunk[2]}:{(x + 1) * chunk[2]}";

    // 3. Warm-up: every chunk once.
    var all = (from t in Enumerable.Range(0, nt) from y in Enumerable.Range(0, ny) from x in Enumerable.Range(0, nx) select Url(t, y, x)).ToList();
    var warm = Stopwatch.StartNew();
    await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (u, ct) =>
    {
        using var r = await http.GetAsync(u, ct);
        r.EnsureSuccessStatusCode();
    });
    Console.WriteLine($"warm-up: {all.Count} chunks in {warm.Elapsed.TotalSeconds:F1} s");

    // 4. The load: counters of the SDK's meter (cache hits/misses, store requests) over the run only.
    long hits = 0, misses = 0, storeRequests = 0;
    using var meters = new MeterListener();
    meters.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == ZarrCloudTelemetry.Name && instrument.Name is "zarr.cache.hits" or "zarr.cache.misses" or "zarr.store.requests")
            l.EnableMeasurementEvents(instrument);
    };
    meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
    {
        string? cache = null;
        foreach (var tag in tags) if (tag.Key == "zarr.cache") cache = tag.Value as string;
        if (instrument.Name == "zarr.store.requests") Interlocked.Add(ref storeRequests, value);
        else if (cache is null or "chunk") Interlocked.Add(ref instrument.Name == "zarr.cache.hits" ? ref hits : ref misses, value);
    });
    meters.Start();

    var memory = new List<(double Seconds, long Heap, long WorkingSet)>();
    long expectedBytes = (long)chunk[0] * chunk[1] * chunk[2] * 2;
    long errors = 0;
    var latencies = new List<double>[clients];
    var run = Stopwatch.StartNew();
    var stop = TimeSpan.FromSeconds(seconds);
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do memory.Add((run.Elapsed.TotalSeconds, GC.GetTotalMemory(false), Environment.WorkingSet));
        while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false));
    });
    var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        var random = new Random(c);
        var mine = latencies[c] = new List<double>(100_000);
        var buffer = new byte[expectedBytes];
        while (run.Elapsed < stop)
        {
            // Random one-chunk slices; the last time chunk is shorter, so it is left out to keep every answer the same size.
            var url = Url(random.Next(days / chunk[0]), random.Next(ny), random.Next(nx));
            long start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                int total = 0, n;
                while ((n = await body.ReadAsync(buffer.AsMemory(Math.Min(total, buffer.Length - 1)))) > 0) total += n;
                if (response.StatusCode != System.Net.HttpStatusCode.OK || total != expectedBytes) Interlocked.Increment(ref errors);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    })).ToArray();
    await Task.WhenAll(workers);
    var elapsed = run.Elapsed.TotalSeconds;
    await sampling.CancelAsync();
    try { await sampler; } catch (OperationCanceledException) { /* stopped */ }
    meters.Dispose();

    var sorted = latencies.SelectMany(l => l).Order().ToArray();
    double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    string Mb(long b) => (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
    Console.WriteLine($"clients {clients}, {elapsed:F1} s, {sorted.Length} requests: {sorted.Length / elapsed:F0} req/s, p50 {Percentile(0.5):F2} ms, p99 {Percentile(0.99):F2} ms, max {sorted[^1]:F1} ms, errors {errors}");
    Console.WriteLine(hits + misses == 0
        ? $"chunk cache: no hits or misses reported (no chunk cache in this build); store requests {storeRequests} ({(double)storeRequests / sorted.Length:F2} per request)"
        : $"chunk cache: {hits} hits, {misses} misses, hit ratio {(double)hits / (hits + misses):P1}; store requests {storeRequests} ({(double)storeRequests / sorted.Length:F2} per request)");
    Console.WriteLine("memory (s: managed heap MB / working set MB): " + string.Join(", ", memory.Select(m => $"{m.Seconds:F0}: {Mb(m.Heap)}/{Mb(m.WorkingSet)}")));
    return errors == 0 ? 0 : 1;
}
finally
{
    if (app is not null)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
    try { Directory.Delete(work, recursive: true); } catch (IOException) { /* best effort */ }
}
