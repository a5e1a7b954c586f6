using BenchmarkDotNet.Attributes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// The read path around the codec: one chunk file through <see cref="FileSystemStore"/> (pooled read),
/// and a whole 16 MiB array (16 chunks of 1 MiB) read from a <see cref="MemoryStore"/> and from files.
/// </summary>
[MemoryDiagnoser]
public class ReadPathBenchmarks
{
    private string _dir = "";
    private FileSystemStore _files = null!;
    private ZarrArray _memoryArray = null!;
    private ZarrArray _fileArray = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"zarr-cloud-bench-{Environment.ProcessId}");
        var definition = new ZarrArrayDefinition
        {
            Shape = [16 * SyntheticChunk.Rows, SyntheticChunk.Cols],
            ChunkShape = [SyntheticChunk.Rows, SyntheticChunk.Cols],
            DataType = ZarrDataType.Float32,
            ZarrFormat = 2,
            Compressor = new ZstdCodec(1),
            Overwrite = true,
        };
        var data = new float[16 * SyntheticChunk.Rows * SyntheticChunk.Cols];
        for (int k = 0; k < 16; k++) SyntheticChunk.Make(k * SyntheticChunk.Rows, k).CopyTo(data, k * SyntheticChunk.Rows * SyntheticChunk.Cols);
        var nd = new NDArray<float>(data, 16 * SyntheticChunk.Rows, SyntheticChunk.Cols);
        _memoryArray = await ZarrArray.CreateAsync(new MemoryStore(), "a", definition);
        await _memoryArray.WriteAsync(nd);
        _files = new FileSystemStore(_dir);
        _fileArray = await ZarrArray.CreateAsync(_files, "a", definition);
        await _fileArray.WriteAsync(nd);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>One ~0.9 MB chunk file into a pooled buffer (page cache warm).</summary>
    [Benchmark]
    public async Task<int> FileStoreGetChunk()
    {
        using var v = await _files.GetAsync("a/3.0");
        return v!.Length;
    }

    /// <summary>16 MiB, 16 chunks, from memory: decode and per-chunk overhead.</summary>
    [Benchmark]
    public async Task<int> ReadAll16MiBFromMemory() => (await _memoryArray.ReadAsync<float>(Selection.All)).Length;

    /// <summary>16 MiB, 16 chunks, from files.</summary>
    [Benchmark]
    public async Task<int> ReadAll16MiBFromFiles() => (await _fileArray.ReadAsync<float>(Selection.All)).Length;
}
