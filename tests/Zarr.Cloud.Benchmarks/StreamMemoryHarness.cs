using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// stream-memory: streams a 2 GiB float32 array (zstd level 1, 1 MiB chunks, values rounded to 1 decimal so it
/// stores in about 330 MiB) from local disk with ZarrArray.StreamAsync, hashing each part, and reports peak managed
/// memory, peak resident set and throughput; side by side with zarr-python 2.13 reading the same array one row of
/// chunks at a time (a subprocess), alternating, in the same run.
/// </summary>
internal static class StreamMemoryHarness
{
    private sealed record Options(int SizeMib, int Rounds, string DataDir, string Python, long MaxBytesInFlight, int? Concurrency);

    private sealed record Run(double MibPerSecond, string Sha256, long PeakManagedBytes, long PeakRssBytes);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!HarnessArguments.TryParse(args, Parse, out Options o)) return 2;
        Directory.CreateDirectory(o.DataDir);
        var path = Path.Combine(o.DataDir, $"f32-{o.SizeMib}mib-zstd1-round1.zarr");
        using var info = ReadLocalHarness.EnsureDataset(o.Python, path, o.SizeMib, 1);
        var root = info.RootElement;
        string expectedSha = root.GetProperty("sha256").GetString()!;
        long rawBytes = root.GetProperty("raw_bytes").GetInt64();
        double mib = rawBytes / 1048576.0;
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"GC: server={GCSettings.IsServerGC}, concurrent={AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c}");
        Console.WriteLine($"dataset: {path}: shape {root.GetProperty("shape")}, chunks {root.GetProperty("chunks")}, <f4, zstd level 1, {mib:F0} MiB raw, {root.GetProperty("stored_bytes").GetInt64() / 1048576.0:F0} MiB stored");

        var openOptions = new ZarrOpenOptions();
        if (o.Concurrency is { } n) openOptions.MaxConcurrency = n;
        var array = await ZarrArray.OpenAsync(new FileSystemStore(path, readOnly: true), "", openOptions).ConfigureAwait(false);
        var streamOptions = new StreamOptions { MaxBytesInFlight = o.MaxBytesInFlight };
        Console.WriteLine($"Zarr.Cloud: StreamAsync<float>(Selection.All), ordered, MaxBytesInFlight {o.MaxBytesInFlight / 1048576.0:F0} MiB, MaxConcurrency {openOptions.MaxConcurrency}");
        Console.WriteLine($"before the first stream: managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, peak RSS {PeakRssBytes() / 1048576.0:F0} MiB (runtime and JIT)");
        Console.WriteLine();
        Console.WriteLine("round  first        zarr-python MiB/s  Zarr.Cloud MiB/s  ratio  peak RSS MiB (python / .NET)  .NET peak managed MiB");
        var py = new List<Run>();
        var dn = new List<Run>();
        for (int r = 0; r < o.Rounds; r++)
        {
            // .NET first in round 1, so the process's peak RSS is not raised by anything but streaming.
            bool dotnetFirst = r % 2 == 0;
            Run p, d;
            if (dotnetFirst)
            {
                d = await StreamDotnetAsync(array, streamOptions, rawBytes).ConfigureAwait(false);
                p = RunPython(o, path);
            }
            else
            {
                p = RunPython(o, path);
                d = await StreamDotnetAsync(array, streamOptions, rawBytes).ConfigureAwait(false);
            }
            if (p.Sha256 != expectedSha || d.Sha256 != expectedSha)
                throw new InvalidOperationException($"Results differ: dataset {expectedSha}, zarr-python {p.Sha256}, Zarr.Cloud {d.Sha256}.");
            py.Add(p);
            dn.Add(d);
            Console.WriteLine($"{r + 1,5}  {(dotnetFirst ? "Zarr.Cloud " : "zarr-python"),-11}  {p.MibPerSecond,17:F0}  {d.MibPerSecond,16:F0}  {d.MibPerSecond / p.MibPerSecond,5:F2}  {p.PeakRssBytes / 1048576.0,12:F0} / {d.PeakRssBytes / 1048576.0,-12:F0}  {d.PeakManagedBytes / 1048576.0,10:F0}");
        }
        Console.WriteLine("(every round: both results have the dataset's sha256)");
        double pyMed = ReadLocalHarness.Median(py.Select(x => x.MibPerSecond));
        double dnMed = ReadLocalHarness.Median(dn.Select(x => x.MibPerSecond));
        long pyRss = py.Max(x => x.PeakRssBytes), dnRss = dn.Max(x => x.PeakRssBytes), dnManaged = dn.Max(x => x.PeakManagedBytes);
        Console.WriteLine();
        Console.WriteLine($"Streaming all {mib:F0} MiB (float32, zstd level 1, 1 MiB chunks, warm page cache), each part hashed with SHA-256; median of {o.Rounds} alternating rounds, peaks over all rounds:");
        Console.WriteLine();
        Console.WriteLine("| reader | MiB/s (median) | vs zarr-python | peak RSS | peak managed heap |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| zarr-python {root.GetProperty("zarr")}, z[r:r+256] per row of chunks (1 thread) | {pyMed:F0} | 1.00x | {pyRss / 1048576.0:F0} MiB | – |");
        Console.WriteLine($"| Zarr.Cloud, StreamAsync<float>, MaxBytesInFlight {o.MaxBytesInFlight / 1048576.0:F0} MiB | {dnMed:F0} | {dnMed / pyMed:F2}x | {dnRss / 1048576.0:F0} MiB ({(double)dnRss / pyRss:F2}x) | {dnManaged / 1048576.0:F0} MiB |");
        bool ok = dnManaged < 256L << 20;
        Console.WriteLine();
        Console.WriteLine($"target: peak managed memory under 256 MiB while streaming {mib:F0} MiB: {(ok ? "met" : "NOT met")}");
        return ok ? 0 : 1;
    }

    private static Options Parse(string[] args)
    {
        int size = 2048, rounds = 3;
        int? concurrency = null;
        long maxBytes = StreamOptions.DefaultMaxBytesInFlight;
        string data = "/tmp/zarr-bench", python = "/usr/bin/python3";
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--size-mib": size = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--data": data = Next(); break;
                case "--python": python = Next(); break;
                case "--max-mib": maxBytes = long.Parse(Next(), CultureInfo.InvariantCulture) << 20; break;
                case "--concurrency": concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (size < 1) throw new ArgumentException("--size-mib must be positive");
        if (rounds < 1) throw new ArgumentException("--rounds must be at least 1");
        if (maxBytes < 1) throw new ArgumentException("--max-mib must be positive");
        return new Options(size, rounds, data, python, maxBytes, concurrency);
    }

    private static Run RunPython(Options o, string path)
    {
        var output = ReadLocalHarness.RunProcess(o.Python, [ReadLocalHarness.ScriptPath("stream_zarr_python.py"), path]);
        using var doc = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        var r = doc.RootElement;
        return new Run(r.GetProperty("mib_s").GetDouble(), r.GetProperty("sha256").GetString()!, 0, r.GetProperty("peak_rss_kib").GetInt64() * 1024);
    }

    private static async Task<Run> StreamDotnetAsync(ZarrArray array, StreamOptions options, long rawBytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sampler = new ManagedPeakSampler();
        var sw = Stopwatch.StartNew();
        await foreach (var part in array.StreamAsync<float>(Selection.All, options).ConfigureAwait(false))
            sha.AppendData(MemoryMarshal.AsBytes(part.Data.AsSpan()));
        sw.Stop();
        long peakManaged = sampler.Stop();
        return new Run(rawBytes / 1048576.0 / sw.Elapsed.TotalSeconds, Convert.ToHexStringLower(sha.GetHashAndReset()), peakManaged, PeakRssBytes());
    }

    /// <summary>The process's peak resident set so far (VmHWM in /proc/self/status).</summary>
    private static long PeakRssBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// Samples the managed heap every millisecond on its own thread (GC.GetTotalMemory: bytes allocated and not yet
    /// collected, garbage included) and, at the end, takes the largest heap any GC saw since the start as well.
    /// </summary>
    private sealed class ManagedPeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private readonly int _gcAtStart = GC.CollectionCount(0);
        private volatile bool _stop;
        private long _peak;

        public ManagedPeakSampler()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "managed-peak-sampler" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            long peak = Math.Max(_peak, GC.GetTotalMemory(false));
            // The heap size before each kind of GC's last collection (what the GC itself saw), if any ran.
            if (GC.CollectionCount(0) > _gcAtStart)
                foreach (var kind in new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background })
                {
                    var info = GC.GetGCMemoryInfo(kind);
                    if (info.Index > 0) peak = Math.Max(peak, info.GenerationInfo.ToArray().Sum(g => g.SizeBeforeBytes));
                }
            return peak;
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
