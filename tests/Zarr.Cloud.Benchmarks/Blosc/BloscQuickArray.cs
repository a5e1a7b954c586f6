using System.Diagnostics;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary><c>blosc-array</c>: where the time of a whole-array read goes (store, decode, the read itself).</summary>
public static class BloscQuickArray
{
    public static async Task RunAsync()
    {
      foreach (var cname in new[] { "lz4", "zstd" })
      {
        var files = new FileSystemStore(Path.Combine(BloscBenchData.Dir, $"array-{cname}.zarr"), readOnly: true);
        var store = new MemoryStore();
        var keys = new List<string>();
        await foreach (var key in files.ListAsync())
        {
            using var v = await files.GetAsync(key);
            await store.SetAsync(key, v!.Memory.ToArray());
            if (!key.StartsWith('.')) keys.Add(key);
        }
        var output = new float[4096 * 4096];
        var codec = new BloscCodec { MaxDegreeOfParallelism = 1 };
        var chunk = new byte[4 << 20];
        foreach (var concurrency in new[] { 1, 16 })
        {
            var array = await ZarrArray.OpenAsync(store, "", new ZarrOpenOptions { MaxConcurrency = concurrency });
            double get = double.MaxValue, decode = double.MaxValue, read = double.MaxValue;
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 3) await array.ReadAsync(Selection.All, output.AsMemory());
            for (int r = 0; r < 20; r++)
            {
                var sw = Stopwatch.StartNew();
                foreach (var k in keys) using (await store.GetAsync(k)) { }
                get = Math.Min(get, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                foreach (var k in keys)
                {
                    using var v = await store.GetAsync(k);
                    codec.DecodeInto(v!.Span, chunk);
                }
                decode = Math.Min(decode, sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await array.ReadAsync(Selection.All, output.AsMemory());
                read = Math.Min(read, sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"{cname} MaxConcurrency {concurrency}: 16 gets {get:F1} ms, gets + decodes {decode:F1} ms, ReadAsync {read:F1} ms");
        }
      }
    }
}
