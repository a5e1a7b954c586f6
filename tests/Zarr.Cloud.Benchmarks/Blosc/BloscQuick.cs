using System.Diagnostics;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>
/// <c>blosc-quick</c>: a fast side-by-side for iterating on the decoder: each frame decoded by the C library and by
/// this decoder in alternation, best time of many rounds (the BenchmarkDotNet figures are the ones to quote).
/// </summary>
public static unsafe class BloscQuick
{
    public static void Run()
    {
        var dir = BloscBenchData.Dir;
        CBlosc.Init();
        Console.WriteLine($"c-blosc {CBlosc.Version}");
        var one = new BloscCodec { MaxDegreeOfParallelism = 1 };
        foreach (var data in new[] { "noisy", "smooth" })
        {
            var raw = File.ReadAllBytes(Path.Combine(dir, data + ".raw"));
            var dst = BloscBenchData.Pinned(raw.Length);
            foreach (var name in new[] { "lz4-shuffle", "zstd-shuffle", "blosclz-bitshuffle", "array chunk 0.0" })
            {
                if (name.StartsWith("array", StringComparison.Ordinal) && data != "noisy") continue;
                var frame = File.ReadAllBytes(name.StartsWith("array", StringComparison.Ordinal) ? Path.Combine(dir, "array-lz4.zarr", "0.0") : Path.Combine(dir, $"{data}.{name}.blosc"));
                if (name.StartsWith("array", StringComparison.Ordinal)) raw = new BloscCodec().Decode(frame, dst.Length).Span.ToArray();
                double c = double.MaxValue, ours = double.MaxValue;
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed.TotalSeconds < 1) one.DecodeInto(frame, dst);
                for (int round = 0; round < 15; round++)
                {
                    c = Math.Min(c, Time(() => { fixed (byte* s = frame, d = dst) CBlosc.DecompressContext(s, d, (nuint)dst.Length, 1); }));
                    ours = Math.Min(ours, Time(() => one.DecodeInto(frame, dst)));
                }
                if (!dst.AsSpan().SequenceEqual(raw)) throw new InvalidOperationException(name);
                Console.WriteLine($"{data}.{name}: C {raw.Length / c / 1e6:F0} MB/s, managed {raw.Length / ours / 1e6:F0} MB/s, ratio {c / ours:F2}");
            }
        }
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 10; i++) a();
        return sw.Elapsed.TotalSeconds / 10;
    }
}
