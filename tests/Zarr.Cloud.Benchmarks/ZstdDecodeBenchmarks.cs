using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using ZstdSharp;

namespace Zarr.Cloud.Benchmarks;

/// <summary>Decoding one 1 MiB float32 chunk (zstd level 1): ZstdSharp alone versus the SDK's codec and pipeline.</summary>
[MemoryDiagnoser]
public class ZstdDecodeBenchmarks
{
    private byte[] _compressed = [];
    private float[] _output = [];
    private Decompressor _decompressor = null!;
    private ZstdCodec _codec = null!;
    private CodecPipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        var chunk = SyntheticChunk.Make();
        using (var c = new Compressor(1)) _compressed = c.Wrap(MemoryMarshal.AsBytes(chunk.AsSpan())).ToArray();
        _output = new float[chunk.Length];
        _decompressor = new Decompressor();
        _codec = new ZstdCodec(1);
        var array = ZarrArray.CreateAsync(new MemoryStore(), "a", new ZarrArrayDefinition
        {
            Shape = [SyntheticChunk.Rows, SyntheticChunk.Cols],
            ChunkShape = [SyntheticChunk.Rows, SyntheticChunk.Cols],
            DataType = ZarrDataType.Float32,
            ZarrFormat = 2,
            Compressor = new ZstdCodec(1),
        }).GetAwaiter().GetResult();
        _pipeline = array.Pipeline;
    }

    [GlobalCleanup]
    public void Cleanup() => _decompressor.Dispose();

    /// <summary>The floor: ZstdSharp's Decompressor.Unwrap into a span.</summary>
    [Benchmark(Baseline = true)]
    public int ZstdSharpUnwrap() => _decompressor.Unwrap(_compressed, MemoryMarshal.AsBytes(_output.AsSpan()));

    /// <summary>The SDK's zstd codec (thread-static decompressor) into a span.</summary>
    [Benchmark]
    public void ZstdCodecDecodeInto() => _codec.DecodeInto(_compressed, MemoryMarshal.AsBytes(_output.AsSpan()));

    /// <summary>The whole v2 pipeline (bytes + zstd) straight into the output, as a read does for a wholly covered chunk.</summary>
    [Benchmark]
    public bool PipelineTryDecodeInto() => _pipeline.TryDecodeInto(_compressed, MemoryMarshal.AsBytes(_output.AsSpan()));

    /// <summary>The pipeline into a pooled chunk buffer, as a read does for a partly covered chunk (before the strided copy).</summary>
    [Benchmark]
    public int PipelineDecode()
    {
        using var chunk = _pipeline.Decode(_compressed);
        return chunk.Bytes!.Length;
    }
}
