using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Benchmarks;

/// <summary>Copying (part of) one decoded 256 x 1024 float32 chunk into an output buffer.</summary>
[MemoryDiagnoser]
public class StridedCopyBenchmarks
{
    private static readonly int[] ChunkShape = [SyntheticChunk.Rows, SyntheticChunk.Cols];
    private byte[] _chunk = [];
    private byte[] _output = [];

    [GlobalSetup]
    public void Setup()
    {
        _chunk = MemoryMarshal.AsBytes(SyntheticChunk.Make().AsSpan()).ToArray();
        _output = new byte[4 * 1024 * 1024];
    }

    /// <summary>The whole chunk into rows 256..511 of a (1024, 1024) output: one contiguous run.</summary>
    [Benchmark(Baseline = true)]
    public void WholeChunkContiguous() =>
        StridedCopy.CopyRegion<byte>(_chunk, ChunkShape, [0, 0], [1, 1], _output, [1024, 1024], [256, 0], [256, 1024], 4);

    /// <summary>The left half of the chunk's columns into a (1024, 512) output: 256 runs of 2 KiB.</summary>
    [Benchmark]
    public void HalfColumns() =>
        StridedCopy.CopyRegion<byte>(_chunk, ChunkShape, [0, 0], [1, 1], _output, [1024, 512], [256, 0], [256, 512], 4);

    /// <summary>Every second column into a (256, 512) output: element by element.</summary>
    [Benchmark]
    public void EverySecondColumn() =>
        StridedCopy.CopyRegion<byte>(_chunk, ChunkShape, [0, 0], [1, 2], _output, [256, 512], [0, 0], [256, 512], 4);
}
