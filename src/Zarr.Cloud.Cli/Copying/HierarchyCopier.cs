using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>
/// Copies an array, or a group and everything below it, into another store. Array data moves in blocks of whole
/// destination chunks (<see cref="ArrayBlocks.AlignedToChunks"/>), read from the source and written, two blocks at a
/// time, so memory stays bounded whatever the array's size; within a block, chunks are fetched, decoded and
/// encoded <see cref="ZarrOpenOptions.MaxConcurrency"/> at a time. With <see cref="CopySettings.Partition"/>, only that
/// partition's chunks are copied, and metadata goes through <see cref="SharedNodeWriter"/>.
/// </summary>
internal sealed class HierarchyCopier
{
    private readonly IAsyncStore _destination;
    private readonly CopySettings _settings;
    private readonly ZarrOpenOptions _options;
    private readonly TextWriter _log;

    /// <summary>Creates a copier.</summary>
    /// <param name="destination">The destination store.</param>
    /// <param name="settings">What to change on the way.</param>
    /// <param name="options">Options for the destination (concurrency).</param>
    /// <param name="log">Where to say what was copied.</param>
    public HierarchyCopier(IAsyncStore destination, CopySettings settings, ZarrOpenOptions options, TextWriter log)
    {
        _destination = destination;
        _settings = settings;
        _options = options;
        _log = log;
    }

    /// <summary>
    /// Called as each array's data starts to move, with the destination array; what it returns is told, as each block
    /// is written, the destination chunks and decoded bytes done of that array (null: no reports).
    /// </summary>
    public Func<ZarrArray, IProgress<ZarrProgress>?>? ArrayProgress { get; init; }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> in the destination store.</summary>
    /// <param name="source">An array or a group.</param>
    /// <param name="path">The destination node path.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public async Task CopyAsync(ZarrNode source, string path, CancellationToken cancellationToken)
    {
        int format = _settings.ZarrFormat ?? source.ZarrFormat;
        if (source is ZarrArray array)
        {
            await CopyArrayAsync(array, path, format, cancellationToken).ConfigureAwait(false);
            return;
        }
        var group = (ZarrGroup)source;
        ZarrGroup? copy = null;
        if (_settings.Partition is { } partition)
            await SharedNodeWriter.CreateGroupAsync(_destination, path, format, group.Attributes, _options, partition.IsFirst, cancellationToken).ConfigureAwait(false);
        else
            copy = await ZarrGroup.CreateAsync(_destination, path, format, group.Attributes, overwrite: false, _options, cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"group /{path} v{format}");
        foreach (var name in (await group.ListChildrenAsync(cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal))
        {
            var child = await group.OpenAsync(name, cancellationToken).ConfigureAwait(false);
            await CopyAsync(child, StoreKeys.Join(path, name), cancellationToken).ConfigureAwait(false);
        }
        // Of the workers of a partitioned copy, the first consolidates (it wrote every node's metadata itself).
        if (group.IsConsolidated && path.Length == 0 && _settings.Partition is null or { IsFirst: true })
        {
            copy ??= await ZarrGroup.OpenAsync(_destination, path, new ZarrOpenOptions { Codecs = _options.Codecs, UseConsolidatedMetadata = false }, cancellationToken).ConfigureAwait(false);
            await copy.ConsolidateMetadataAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyArrayAsync(ZarrArray source, string path, int format, CancellationToken ct)
    {
        var definition = CopyDefinition.For(source, format, _settings);
        var copy = _settings.Partition is null
            ? await ZarrArray.CreateAsync(_destination, path, definition, _options, ct).ConfigureAwait(false)
            : await SharedNodeWriter.CreateArrayAsync(_destination, path, definition, _options, _settings.Partition.IsFirst, ct).ConfigureAwait(false);
        var elementBytes = copy.DataType.IsFixedSize ? copy.DataType.ItemSize : 64;
        var blocks = _settings.Partition is { } partition
            ? partition.Blocks(copy.Metadata.Shape, copy.Metadata.ChunkShape, elementBytes, _settings.BlockBytes)
            : ArrayBlocks.AlignedToChunks(copy.Metadata.Shape, copy.Metadata.ChunkShape, elementBytes, _settings.BlockBytes);
        var progress = ArrayProgress?.Invoke(copy) is { } sink
            ? new ProgressCounter(sink, PartitionChunkCount(copy.Metadata), (int)elementBytes)
            : null;
        progress?.Start();
        await ElementTypeDispatch.InvokeAsync(typeof(HierarchyCopier), nameof(CopyDataAsync), copy.DataType.ClrType, source, copy, blocks, progress, ct).ConfigureAwait(false);
        _log.WriteLine($"array /{path} [{string.Join(", ", copy.Metadata.Shape)}] {copy.DataType} v{format} chunks [{string.Join(", ", copy.Metadata.ChunkShape)}] codecs [{string.Join(", ", copy.Pipeline.Codecs.Select(c => c.Name))}]");
    }

    /// <summary>The chunks this copy writes into <paramref name="metadata"/>'s grid: all of them, or this partition's.</summary>
    private long PartitionChunkCount(Zarr.Cloud.Metadata.ArrayMetadata metadata)
    {
        long all = new ChunkGrid(metadata.Shape, metadata.ChunkShape).ChunkCount;
        if (_settings.Partition is not { } partition) return all;
        var (start, end) = partition.ChunkRange(all);
        return end - start;
    }

    private static async Task CopyDataAsync<T>(ZarrArray source, ZarrArray destination, IEnumerable<Selection> blocks, ProgressCounter? progress, CancellationToken ct)
    {
        // Two blocks in flight: one being read while the other is encoded and written.
        var po = new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct };
        var buffers = new BlockBuffers<T>();
        var shape = source.Metadata.Shape;
        await Parallel.ForEachAsync(blocks, po, async (block, token) =>
        {
            var (blockShape, length) = BlockBuffers<T>.ShapeOf(block, shape);
            var buffer = buffers.Rent(length);
            await source.ReadAsync<T>(block, buffer, token).ConfigureAwait(false);
            await destination.WriteAsync(block, new NDArray<T>(buffer, blockShape), token).ConfigureAwait(false);
            buffers.Return(buffer);
            progress?.Add(new ChunkGrid(block.Resolve(shape).Select(a => a.Count).ToArray(), destination.Metadata.ChunkShape).ChunkCount, length);
        }).ConfigureAwait(false);
    }
}
