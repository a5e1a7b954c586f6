using System.Diagnostics;
using System.Globalization;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// sharded: a size³ float32 array stored as one shard of inner³ inner chunks (bytes + zstd 1), and the same
/// data unsharded with the same chunks. Measures, with the store's request and byte counts: one inner chunk
/// (cold: a freshly opened array, so the index is read too), the whole shard, and the whole unsharded array.
/// zarr-python 2.13 (the peer of the other benchmarks) cannot read v3 sharding, so this compares Zarr.Cloud's
/// two layouts of the same data.
/// </summary>
internal static class ShardedHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int size = 512, inner = 64, rounds = 5;
        string data = Path.Combine(Path.GetTempPath(), "zarr-bench");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size": size = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--inner": inner = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--data": data = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var shardedPath = Path.Combine(data, $"sharded-{size}-{inner}.zarr");
        var plainPath = Path.Combine(data, $"unsharded-{size}-{inner}.zarr");
        await EnsureAsync(shardedPath, size, inner, sharded: true);
        await EnsureAsync(plainPath, size, inner, sharded: false);

        var oneChunk = new Selection(inner..(2 * inner), inner..(2 * inner), inner..(2 * inner));
        var sel = Selection.All;
        long innerBytes = 0;
        var one = new List<double>();
        var shard = new List<double>();
        var plain = new List<double>();
        long oneReads = 0, oneBytes = 0, shardReads = 0, plainReads = 0;
        int indexBytes = (size / inner) * (size / inner) * (size / inner) * 16 + 4;
        for (int r = 0; r < rounds + 1; r++)
        {
            // one inner chunk, cold (a new array: the index is not cached)
            var s1 = new InstrumentedStore(new FileSystemStore(shardedPath, readOnly: true));
            var a1 = await ZarrArray.OpenAsync(s1, "");
            s1.Reset();
            var sw = Stopwatch.StartNew();
            var chunk = await a1.ReadAsync<float>(oneChunk);
            sw.Stop();
            if (r > 0) { one.Add(sw.Elapsed.TotalSeconds); oneReads = s1.Reads; oneBytes = s1.BytesRead; }
            var shardCodec = (Codecs.Sharding.ShardingCodec)a1.Pipeline.ArrayToBytes;
            var index = await a1.GetShardIndexAsync(shardCodec, a1.GetChunkKey([0, 0, 0]), default);
            innerBytes = index!.Length(shardCodec.InnerChunkNumber([1, 1, 1]));

            // the whole shard
            var s2 = new InstrumentedStore(new FileSystemStore(shardedPath, readOnly: true));
            var a2 = await ZarrArray.OpenAsync(s2, "");
            s2.Reset();
            sw.Restart();
            var whole = await a2.ReadAsync<float>(sel);
            sw.Stop();
            if (r > 0) { shard.Add(sw.Elapsed.TotalSeconds); shardReads = s2.Reads; }
            if (chunk.Data[0] != whole[inner, inner, inner]) throw new InvalidOperationException("the inner chunk and the whole shard disagree");

            // the same data unsharded, same chunks
            var s3 = new InstrumentedStore(new FileSystemStore(plainPath, readOnly: true));
            var a3 = await ZarrArray.OpenAsync(s3, "");
            s3.Reset();
            sw.Restart();
            var whole3 = await a3.ReadAsync<float>(sel);
            sw.Stop();
            if (r > 0) { plain.Add(sw.Elapsed.TotalSeconds); plainReads = s3.Reads; }
            if (!whole.Data.AsSpan().SequenceEqual(whole3.Data)) throw new InvalidOperationException("sharded and unsharded reads differ");
            whole = null!;
            whole3 = null!;
            GC.Collect();
        }
        double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
        double mib = (double)size * size * size * 4 / (1 << 20);
        Console.WriteLine($"sharded: {size}^3 float32 ({mib:F0} MiB), one shard of {inner}^3 inner chunks (bytes + zstd 1), {rounds} rounds, medians, warm page cache");
        Console.WriteLine($"| read | requests | bytes read | seconds | MiB/s |");
        Console.WriteLine($"|---|---|---|---|---|");
        Console.WriteLine($"| one inner chunk, cold index | {oneReads} | {oneBytes} (inner chunk {innerBytes} + index {indexBytes} = {innerBytes + indexBytes}; ratio {(double)oneBytes / (innerBytes + indexBytes):F4}) | {Median(one):F4} | |");
        Console.WriteLine($"| whole shard (whole array) | {shardReads} | | {Median(shard):F3} | {mib / Median(shard):F0} |");
        Console.WriteLine($"| whole array unsharded, same chunks | {plainReads} | | {Median(plain):F3} | {mib / Median(plain):F0} |");
        Console.WriteLine($"one inner chunk / whole shard time: {Median(one) / Median(shard) * 100:F2}%; sharded / unsharded throughput: {Median(plain) / Median(shard):F2}x");
        return 0;
    }

    private static async Task EnsureAsync(string path, int size, int inner, bool sharded)
    {
        if (File.Exists(Path.Combine(path, "zarr.json"))) return;
        Console.Error.WriteLine($"writing {path} ...");
        var store = new FileSystemStore(path);
        var def = new ZarrArrayDefinition
        {
            Shape = [size, size, size], ChunkShape = [inner, inner, inner], ShardShape = sharded ? [size, size, size] : null,
            DataType = ZarrDataType.Float32, Compressor = new ZstdCodec(1), Overwrite = true,
        };
        var array = await ZarrArray.CreateAsync(store, "", def);
        // Smooth fields plus small noise: compresses like geophysical data.
        var rng = new Random(1);
        var all = new float[(long)size * size * size];
        long o = 0;
        for (int z = 0; z < size; z++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    all[o++] = (float)(280 + 10 * Math.Sin(z * 0.01) * Math.Cos(y * 0.02) + 5 * Math.Sin(x * 0.03)) + (float)rng.NextDouble() * 0.01f;
        // One write: for the sharded layout a partial write would read, modify and rewrite the shard each time.
        await array.WriteAsync(new NDArray<float>(all, size, size, size));
    }
}
