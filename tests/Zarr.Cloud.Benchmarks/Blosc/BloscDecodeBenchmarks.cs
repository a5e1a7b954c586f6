using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>
/// Decoding 4 MiB float32 frames written by c-blosc 1.21 (blosc_side_by_side.py), into a preallocated buffer, by this
/// decoder and by the C library (libblosc.so.1, the one python-blosc calls) in the same process: on one thread,
/// and with the frame's blocks on two threads (C: blosc_set_nthreads(2), its thread pool kept between calls).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BloscBenchConfig))]
public unsafe class BloscDecodeBenchmarks
{
    private byte[] _frame = [];
    private byte[] _dest = [];
    private readonly BloscCodec _oneThread = new() { MaxDegreeOfParallelism = 1 };
    private readonly BloscCodec _twoThreads = new() { MaxDegreeOfParallelism = 2 };

    [Params("noisy", "smooth")]
    public string Data { get; set; } = "noisy";

    [Params("lz4-shuffle", "zstd-shuffle", "blosclz-bitshuffle")]
    public string Frame { get; set; } = "lz4-shuffle";

    [GlobalSetup]
    public void Setup()
    {
        var dir = BloscBenchData.Dir;
        _frame = File.ReadAllBytes(Path.Combine(dir, $"{Data}.{Frame}.blosc"));
        var raw = File.ReadAllBytes(Path.Combine(dir, $"{Data}.raw"));
        _dest = BloscBenchData.Pinned(raw.Length);
        _oneThread.DecodeInto(_frame, _dest);
        if (!_dest.AsSpan().SequenceEqual(raw)) throw new InvalidOperationException("decoded bytes differ");
        CBlosc.Init();
        CBlosc.SetThreads(2);
        Array.Clear(_dest);
        CLibraryOneThread();
        if (!_dest.AsSpan().SequenceEqual(raw)) throw new InvalidOperationException("the C library decoded other bytes");
    }

    [Benchmark(Baseline = true)]
    public int CLibraryOneThread()
    {
        fixed (byte* s = _frame, d = _dest) return CBlosc.DecompressContext(s, d, (nuint)_dest.Length, 1);
    }

    [Benchmark]
    public int CLibraryTwoThreads()
    {
        fixed (byte* s = _frame, d = _dest) return CBlosc.Decompress(s, d, (nuint)_dest.Length);
    }

    [Benchmark]
    public void OneThread() => _oneThread.DecodeInto(_frame, _dest);

    [Benchmark]
    public void TwoThreads() => _twoThreads.DecodeInto(_frame, _dest);
}
