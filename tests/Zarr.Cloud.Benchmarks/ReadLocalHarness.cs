using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;
using ZstdSharp;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// read-local: reads a float32 array (zstd level 1, 1 MiB chunks) from local disk into memory with
/// zarr-python 2.13 (a subprocess) and with Zarr.Cloud, alternating, and prints a table of medians.
/// </summary>
internal static class ReadLocalHarness
{
    private sealed record Options(int SizeMib, int Rounds, string DataDir, string Python, int? Concurrency, bool Breakdown, int? Decimals, int WaitIdleSeconds);

    private sealed record PythonResult(double Seconds, double MibPerSecond, string Sha256, long MinorFaults, double CpuSeconds);

    private sealed record DotnetResult(double Seconds, double MibPerSecond, long ExtraAllocatedBytes, string Sha256, long MinorFaults, double CpuSeconds);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!HarnessArguments.TryParse(args, Parse, out Options o)) return 2;
        Directory.CreateDirectory(o.DataDir);
        var path = Path.Combine(o.DataDir, $"f32-{o.SizeMib}mib-zstd1{(o.Decimals is { } dec ? $"-round{dec}" : "")}.zarr");
        using var info = EnsureDataset(o, path);
        var root = info.RootElement;
        string expectedSha = root.GetProperty("sha256").GetString()!;
        long rawBytes = root.GetProperty("raw_bytes").GetInt64();
        double mib = rawBytes / 1048576.0;

        Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"GC: server={GCSettings.IsServerGC}, latency={GCSettings.LatencyMode}");
        Console.WriteLine($"dataset: {path}");
        Console.WriteLine($"  zarr-python {root.GetProperty("zarr")} numcodecs {root.GetProperty("numcodecs")}: shape {root.GetProperty("shape")}, chunks {root.GetProperty("chunks")}, <f4, {root.GetProperty("compressor")}{(o.Decimals is { } dd ? $", values rounded to {dd} decimals" : "")}");
        Console.WriteLine($"  {rawBytes / 1048576.0:F0} MiB raw, {root.GetProperty("stored_bytes").GetInt64() / 1048576.0:F1} MiB stored, compression ratio {root.GetProperty("ratio").GetDouble():F3}");

        if (o.Breakdown)
        {
            await ReadBreakdown.RunAsync(path, rawBytes).ConfigureAwait(false);
            return 0;
        }

        var openOptions = new ZarrOpenOptions();
        if (o.Concurrency is { } c) openOptions.MaxConcurrency = c;
        var array = await ZarrArray.OpenAsync(new FileSystemStore(path, readOnly: true), "", openOptions).ConfigureAwait(false);
        Console.WriteLine($"Zarr.Cloud: {array}, MaxConcurrency {openOptions.MaxConcurrency}");

        // Warm-up: JIT tiers, page cache, array pool. Both sides then read the same warm files.
        for (int i = 0; i < 3; i++)
        {
            var w = await ReadDotnetAsync(array, rawBytes, hash: i == 0).ConfigureAwait(false);
            if (i == 0 && w.Sha256 != expectedSha) throw new InvalidOperationException($"Zarr.Cloud read data with sha256 {w.Sha256}, the dataset has {expectedSha}.");
            Console.WriteLine($"warm-up {i + 1}: Zarr.Cloud {w.MibPerSecond:F0} MiB/s, {w.MinorFaults} page faults");
        }

        // The reference: ZstdSharp alone on the same chunks, preloaded, measured in every round too.
        var zstd = new ZstdSharpCeiling(path, rawBytes);
        for (int i = 0; i < 3; i++) zstd.Run(2);
        var z1 = new List<double>();
        var z2 = new List<double>();

        var py = new List<PythonResult>();
        var dn = new List<DotnetResult>();
        Console.WriteLine();
        Console.WriteLine("round  first        zarr-python MiB/s  Zarr.Cloud MiB/s  ratio  ZstdSharp 1T/2T MiB/s  CPU ms (python / .NET)  Zarr.Cloud extra alloc    page faults (python / .NET)");
        for (int r = 0; r < o.Rounds; r++)
        {
            bool pythonFirst = r % 2 == 0;
            string waited = o.WaitIdleSeconds > 0 ? WaitForIdle(o.WaitIdleSeconds) : "";
            PythonResult p;
            DotnetResult d;
            if (pythonFirst)
            {
                p = RunPython(o, path);
                d = await ReadDotnetAsync(array, rawBytes, hash: true).ConfigureAwait(false);
            }
            else
            {
                d = await ReadDotnetAsync(array, rawBytes, hash: true).ConfigureAwait(false);
                p = RunPython(o, path);
            }
            if (p.Sha256 != expectedSha || d.Sha256 != expectedSha)
                throw new InvalidOperationException($"Results differ: dataset {expectedSha}, zarr-python {p.Sha256}, Zarr.Cloud {d.Sha256}.");
            py.Add(p);
            dn.Add(d);
            z1.Add(zstd.Run(1));
            z2.Add(zstd.Run(2));
            Console.WriteLine($"{r + 1,5}  {(pythonFirst ? "zarr-python" : "Zarr.Cloud "),-11}  {p.MibPerSecond,17:F0}  {d.MibPerSecond,16:F0}  {d.MibPerSecond / p.MibPerSecond,5:F2}  {z1[^1],10:F0} / {z2[^1],-8:F0}  {p.CpuSeconds * 1000,9:F0} / {d.CpuSeconds * 1000,-9:F0}  {d.ExtraAllocatedBytes / 1024.0,10:F0} KiB ({100.0 * d.ExtraAllocatedBytes / rawBytes:F2}%)  {p.MinorFaults,8} / {d.MinorFaults}{waited}");
        }
        Console.WriteLine($"(every round: both results have the dataset's sha256; thread pool threads now: {ThreadPool.ThreadCount})");

        double pyMed = Median(py.Select(x => x.MibPerSecond));
        double dnMed = Median(dn.Select(x => x.MibPerSecond));
        double pairedMed = Median(py.Zip(dn, (p, d) => d.MibPerSecond / p.MibPerSecond));
        double allocMed = Median(dn.Select(x => (double)x.ExtraAllocatedBytes));
        double pyCpu = Median(py.Select(x => x.CpuSeconds));
        double dnCpu = Median(dn.Select(x => x.CpuSeconds));
        Console.WriteLine();
        Console.WriteLine($"Median of {o.Rounds} alternating rounds, {mib:F0} MiB float32, zstd level 1, 1 MiB chunks, warm page cache:");
        Console.WriteLine();
        Console.WriteLine("| reader | MiB/s (median) | vs zarr-python | allocated beyond the output |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| zarr-python {root.GetProperty("zarr")} (1 thread) | {pyMed:F0} | 1.00x | – |");
        Console.WriteLine($"| Zarr.Cloud, ReadAsync<float>(Selection.All) | {dnMed:F0} | {dnMed / pyMed:F2}x (paired median {pairedMed:F2}x) | {allocMed / 1024:F0} KiB ({100 * allocMed / rawBytes:F2}% of {mib:F0} MiB) |");
        double z1Med = Median(z1), z2Med = Median(z2);
        Console.WriteLine($"| (reference) ZstdSharp alone, chunks preloaded in memory, 1 thread | {z1Med:F0} | {z1Med / pyMed:F2}x | – |");
        Console.WriteLine($"| (reference) ZstdSharp alone, chunks preloaded in memory, 2 threads | {z2Med:F0} | {z2Med / pyMed:F2}x | – |");
        Console.WriteLine();
        Console.WriteLine($"CPU time per read (median, all threads): zarr-python {pyCpu * 1000:F0} ms, Zarr.Cloud {dnCpu * 1000:F0} ms; CPU cost ratio {dnCpu / pyCpu:F2} (Zarr.Cloud / zarr-python; less sensitive to other processes than wall time)");
        return 0;
    }

    private static Options Parse(string[] args)
    {
        int size = 512, rounds = 5;
        int? conc = null;
        bool breakdown = false;
        int? decimals = null;
        int waitIdle = 0;
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
                case "--concurrency": conc = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--breakdown": breakdown = true; break;
                case "--decimals": decimals = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--wait-idle": waitIdle = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (size < 1 || size > 1900) throw new ArgumentException("--size-mib must be 1..1900 (one .NET array holds the output)");
        if (rounds < 1) throw new ArgumentException("--rounds must be at least 1");
        return new Options(size, rounds, data, python, conc, breakdown, decimals, waitIdle);
    }

    internal static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <summary>Creates the dataset with zarr-python once; its description (with the data's sha256) is cached next to it.</summary>
    private static JsonDocument EnsureDataset(Options o, string path) => EnsureDataset(o.Python, path, o.SizeMib, o.Decimals);

    /// <summary>Creates the dataset with make_dataset.py once (also used by stream-memory); its description is cached next to it.</summary>
    internal static JsonDocument EnsureDataset(string python, string path, int sizeMib, int? decimals)
    {
        var infoPath = path + ".json";
        if (File.Exists(infoPath) && File.Exists(Path.Combine(path, ".zarray")))
            return JsonDocument.Parse(File.ReadAllText(infoPath));
        Console.WriteLine($"creating {path} with zarr-python ({python}) ...");
        string[] args = [ScriptPath("make_dataset.py"), path, sizeMib.ToString(CultureInfo.InvariantCulture)];
        if (decimals is { } d) args = [.. args, d.ToString(CultureInfo.InvariantCulture)];
        var output = RunProcess(python, args);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        var doc = JsonDocument.Parse(line);
        File.WriteAllText(infoPath, line);
        return doc;
    }

    private static PythonResult RunPython(Options o, string path)
    {
        var output = RunProcess(o.Python, [ScriptPath("read_zarr_python.py"), path, "1", "1"]);
        using var doc = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        var r = doc.RootElement;
        return new PythonResult(r.GetProperty("seconds").GetDouble(), r.GetProperty("mib_s").GetDouble(), r.GetProperty("sha256").GetString()!, r.GetProperty("minor_faults").GetInt64(), r.GetProperty("cpu_seconds").GetDouble());
    }

    internal static string RunProcess(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static async Task<DotnetResult> ReadDotnetAsync(ZarrArray array, long rawBytes, bool hash)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(true);
        long faults0 = MinorFaults();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        var result = await array.ReadAsync<float>(Selection.All).ConfigureAwait(false);
        sw.Stop();
        var cpu = Environment.CpuUsage.TotalTime - cpu0;
        long faults = MinorFaults() - faults0;
        long after = GC.GetTotalAllocatedBytes(true);
        long extra = after - before - (long)result.Length * sizeof(float);
        string sha = hash ? Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(result.AsSpan()))) : "";
        return new DotnetResult(sw.Elapsed.TotalSeconds, rawBytes / 1048576.0 / sw.Elapsed.TotalSeconds, extra, sha, faults, cpu.TotalSeconds);
    }

    /// <summary>ZstdSharp alone: every chunk file preloaded into memory, decoded into a warm output buffer.</summary>
    private sealed class ZstdSharpCeiling(string path, long rawBytes)
    {
        private readonly byte[][] _chunks = Directory.GetFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(File.ReadAllBytes).ToArray();
        private readonly byte[] _output = new byte[rawBytes];

        /// <summary>Decodes every chunk once on <paramref name="threads"/> threads; MiB/s of output.</summary>
        public double Run(int threads)
        {
            int chunkBytes = checked((int)(rawBytes / _chunks.Length));
            var sw = Stopwatch.StartNew();
            Parallel.For(0, _chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new Decompressor(), (i, _, d) =>
            {
                int n = d.Unwrap(_chunks[i], _output.AsSpan((int)((long)i * chunkBytes), chunkBytes));
                if (n != chunkBytes) throw new InvalidOperationException("short chunk");
                return d;
            }, d => d.Dispose());
            sw.Stop();
            return rawBytes / 1048576.0 / sw.Elapsed.TotalSeconds;
        }
    }

    /// <summary>
    /// On a shared machine: waits (up to <paramref name="maxSeconds"/>) until the CPUs were at least 90% idle over one second
    /// (from /proc/stat), so a round starts while no one else is busy. Says how long it waited.
    /// </summary>
    internal static string WaitForIdle(int maxSeconds)
    {
        static (long Total, long Idle) Sample()
        {
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            return (f.Sum(), f[3] + f[4]);
        }
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < maxSeconds)
        {
            var a = Sample();
            Thread.Sleep(1000);
            var b = Sample();
            double idle = (double)(b.Idle - a.Idle) / Math.Max(1, b.Total - a.Total);
            if (idle >= 0.9) return $"  (waited {sw.Elapsed.TotalSeconds:F0} s for idle CPUs)";
        }
        return $"  (CPUs still busy after {maxSeconds} s; measured anyway)";
    }

    /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat); -1 where there is none.</summary>
    private static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
