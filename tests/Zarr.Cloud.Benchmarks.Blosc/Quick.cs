using System.Diagnostics;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>Stopwatch timings for quick iteration (the figures in docs/benchmarks.md come from BenchmarkDotNet).</summary>
public static unsafe class Quick
{
    public static void Run(string dir)
    {
        var raw = File.ReadAllBytes(Path.Combine(dir, "raw.bin"));
        var dst = new byte[raw.Length];
        foreach (var name in new[] { "lz4", "zstd", "blosclz" })
        {
            var frame = File.ReadAllBytes(Path.Combine(dir, name + ".bin"));
            foreach (int dop in new[] { 1, 2 })
            {
                var codec = new BloscCodec { MaxDegreeOfParallelism = dop };
                double best = Time(() => codec.DecodeInto(frame, dst));
                if (!dst.AsSpan().SequenceEqual(raw)) throw new InvalidOperationException(name);
                Console.WriteLine($"{name} dop={dop}: {raw.Length / best / 1e6:F0} MB/s ({best * 1e3:F2} ms)");
            }
        }
        foreach (var name in new[] { "lz4", "zstd", "blosclz" })
        {
            var frame = File.ReadAllBytes(Path.Combine(dir, name + ".bin"));
            frame[2] &= 0xfa; // no unshuffle: the streams alone
            var codec = new BloscCodec { MaxDegreeOfParallelism = 1 };
            Report($"{name} streams only", raw.Length, Time(() => codec.DecodeInto(frame, dst)));
        }
        var tmp = new byte[raw.Length];
        var tmp2 = new byte[raw.Length];
        fixed (byte* s = raw)
        fixed (byte* d = dst)
        fixed (byte* t = tmp)
        fixed (byte* t2 = tmp2)
        {
            byte* ps = s, pd = d, pt = t, pt2 = t2;
            int n = raw.Length;
            Report("memcpy", n, Time(() => Buffer.MemoryCopy(ps, pd, n, n)));
            foreach (int ts in new[] { 2, 4, 8, 16, 3, 7 })
            {
                int len = n / ts * ts;
                Report($"shuffle ts={ts}", n, Time(() => BloscShuffle.Shuffle(ts, ps, pd, len)));
                Report($"unshuffle ts={ts}", n, Time(() => BloscShuffle.Unshuffle(ts, ps, pd, len)));
            }
            foreach (int ts in new[] { 1, 4, 8 })
            {
                Report($"bitshuffle ts={ts}", n, Time(() => BloscShuffle.BitShuffle(ts, ps, pd, pt, n)));
                Report($"bitunshuffle ts={ts}", n, Time(() => BloscShuffle.BitUnshuffle(ts, ps, pd, pt, n)));
            }
        }
    }

    private static void Report(string what, int n, double seconds) => Console.WriteLine($"{what}: {n / seconds / 1e6:F0} MB/s");

    private static double Time(Action a)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1.5) a();
        double best = double.MaxValue;
        for (int r = 0; r < 7; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 20; i++) a();
            best = Math.Min(best, sw.Elapsed.TotalSeconds / 20);
        }
        return best;
    }
}
