using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>
/// The array read path: a 64 MiB float32 array in 16 chunks of 4 MiB (Blosc lz4 or zstd + shuffle, written by zarr-python),
/// read whole from memory. One core: one chunk at a time, blocks on the calling thread. Both cores: chunks decoded
/// concurrently (the array's default), with and without the blocks of each frame also split across threads.
/// blosc_side_by_side.py times zarr-python on the same array.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BloscBenchConfig))]
public class BloscArrayReadBenchmarks
{
    private MemoryStore _store = null!;
    private ZarrArray _oneCore = null!, _chunksInParallel = null!, _chunksAndBlocksInParallel = null!;
    private float[] _output = [];

    private static CodecRegistry Registry(int blockThreads)
    {
        var r = CodecRegistry.CreateDefault();
        r.RegisterV2("blosc", (c, s) =>
        {
            var b = BloscCodec.FromV2Configuration(c, s);
            return new BloscCodec(b.Compressor, b.Level, b.Shuffle, b.TypeSize, b.BlockSize) { AutoShuffle = b.AutoShuffle, MaxDegreeOfParallelism = blockThreads };
        });
        return r;
    }

    [Params("lz4", "zstd")]
    public string Codec { get; set; } = "lz4";

    [GlobalSetup]
    public async Task Setup()
    {
        var files = new FileSystemStore(Path.Combine(BloscBenchData.Dir, $"array-{Codec}.zarr"), readOnly: true);
        _store = new MemoryStore();
        await foreach (var key in files.ListAsync())
        {
            using var v = await files.GetAsync(key);
            await _store.SetAsync(key, v!.Memory.ToArray());
        }
        _oneCore = await ZarrArray.OpenAsync(_store, "", new ZarrOpenOptions { MaxConcurrency = 1, Codecs = Registry(1) });
        _chunksInParallel = await ZarrArray.OpenAsync(_store, "", new ZarrOpenOptions { Codecs = Registry(1) });
        _chunksAndBlocksInParallel = await ZarrArray.OpenAsync(_store, "", new ZarrOpenOptions { Codecs = Registry(2) });
        _output = new float[4096 * 4096];
    }

    [Benchmark(Baseline = true)]
    public Task OneCore() => _oneCore.ReadAsync(Selection.All, _output.AsMemory());

    [Benchmark]
    public Task ChunksInParallel() => _chunksInParallel.ReadAsync(Selection.All, _output.AsMemory());

    [Benchmark]
    public Task ChunksAndBlocksInParallel() => _chunksAndBlocksInParallel.ReadAsync(Selection.All, _output.AsMemory());
}
