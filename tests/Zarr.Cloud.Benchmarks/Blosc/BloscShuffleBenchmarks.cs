using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>Byte and bit shuffles of 4 MiB, against a plain copy of the same 4 MiB (the bound).</summary>
[Config(typeof(BloscBenchConfig))]
public unsafe class BloscShuffleBenchmarks
{
    private const int Length = 4 << 20;
    private byte[] _src = [], _dest = [], _tmp = [];

    [Params(1, 2, 4, 8, 16, 3, 7)]
    public int TypeSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _src = BloscBenchData.Pinned(Length);
        _dest = BloscBenchData.Pinned(Length);
        _tmp = BloscBenchData.Pinned(Length);
        new Random(1).NextBytes(_src);
    }

    [Benchmark(Baseline = true)]
    public void Memcpy()
    {
        fixed (byte* s = _src, d = _dest) Buffer.MemoryCopy(s, d, Length, Length);
    }

    [Benchmark]
    public void Shuffle()
    {
        fixed (byte* s = _src, d = _dest) BloscShuffle.Shuffle(TypeSize, s, d, Length);
    }

    [Benchmark]
    public void Unshuffle()
    {
        fixed (byte* s = _src, d = _dest) BloscShuffle.Unshuffle(TypeSize, s, d, Length);
    }

    [Benchmark]
    public void BitShuffle()
    {
        fixed (byte* s = _src, d = _dest, t = _tmp) BloscShuffle.BitShuffle(TypeSize, s, d, t, Length);
    }

    [Benchmark]
    public void BitUnshuffle()
    {
        fixed (byte* s = _src, d = _dest, t = _tmp) BloscShuffle.BitUnshuffle(TypeSize, s, d, t, Length);
    }
}
