using System.Diagnostics;
using System.Runtime.InteropServices;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;
using ZstdSharp;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// read-local --breakdown: where the time of a whole-array read goes, phase by phase, on one thread
/// (medians of a few repetitions, milliseconds for the whole array).
/// </summary>
internal static class ReadBreakdown
{
    public static async Task RunAsync(string path, long rawBytes)
    {
        var store = new FileSystemStore(path, readOnly: true);
        var keys = Directory.GetFiles(path).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => n!).ToArray();
        int chunkBytes = checked((int)(rawBytes / keys.Length));
        var preloaded = keys.Select(k => File.ReadAllBytes(Path.Combine(path, k))).ToArray();
        long stored = preloaded.Sum(c => (long)c.Length);
        var warm = new byte[rawBytes];
        warm.AsSpan().Fill(1);
        using var d = new Decompressor();

        double Time(Action a, int reps = 5)
        {
            var t = new List<double>();
            for (int i = 0; i <= reps; i++)
            {
                GC.Collect();
                var sw = Stopwatch.StartNew();
                a();
                sw.Stop();
                if (i > 0) t.Add(sw.Elapsed.TotalMilliseconds);
            }
            t.Sort();
            return t[t.Count / 2];
        }
        void Report(string what, double ms) => Console.WriteLine($"  {what,-72} {ms,8:F1} ms  ({rawBytes / 1048576.0 / (ms / 1000),6:F0} MiB/s of output)");

        Console.WriteLine($"breakdown, one thread, {keys.Length} chunks, {stored / 1048576.0:F1} MiB stored:");
        Report("new float[n] (zeroed by the GC or the OS)", Time(() => GC.KeepAlive(new float[rawBytes / 4])));
        Report("GC.AllocateUninitializedArray<float>(n)", Time(() => GC.KeepAlive(GC.AllocateUninitializedArray<float>((int)(rawBytes / 4)))));
        Report("new float[n] then write every page once", Time(() =>
        {
            var a = new float[rawBytes / 4];
            for (long i = 0; i < a.Length; i += 1024) a[i] = 1;
        }));
        Report("FileSystemStore.GetAsync of every chunk (open, read into a pooled buffer)", Time(() =>
        {
            foreach (var k in keys) store.GetAsync(k).AsTask().GetAwaiter().GetResult()!.Dispose();
        }));
        Report("File.OpenHandle + RandomAccess.Read into one reused buffer", Time(() =>
        {
            var buf = new byte[2 << 20];
            foreach (var k in keys)
            {
                using var h = File.OpenHandle(Path.Combine(path, k));
                RandomAccess.Read(h, buf, 0);
            }
        }));
        Report("ZstdSharp Unwrap of preloaded chunks into a warm buffer", Time(() =>
        {
            for (int i = 0; i < preloaded.Length; i++) d.Unwrap(preloaded[i], warm.AsSpan((int)((long)i * chunkBytes), chunkBytes));
        }));
        Report("ZstdSharp Unwrap of preloaded chunks into a new float[n]", Time(() =>
        {
            var o = MemoryMarshal.AsBytes(new float[rawBytes / 4].AsSpan());
            for (int i = 0; i < preloaded.Length; i++) d.Unwrap(preloaded[i], o.Slice((int)((long)i * chunkBytes), chunkBytes));
        }));
        var array = await ZarrArray.OpenAsync(store, "", new ZarrOpenOptions { MaxConcurrency = 1 }).ConfigureAwait(false);
        Report("ZarrArray.ReadAsync<float>(Selection.All), MaxConcurrency 1", Time(() => array.ReadAsync<float>(Selection.All).GetAwaiter().GetResult()));
    }
}
