namespace Zarr.Cloud.Cli.Copying;

/// <summary>What <c>zarr copy</c> changes on the way; null keeps the source's.</summary>
/// <param name="ZarrFormat">The destination's format (2 or 3).</param>
/// <param name="ChunkShape">The destination's chunk shape.</param>
/// <param name="Compressor">The destination's compressor.</param>
/// <param name="BlockBytes">Bytes of decoded data per block.</param>
/// <param name="ShardShape">Store the destination (v3) in shards of this shape, with <paramref name="ChunkShape"/> (or the source's chunks) as inner chunks.</param>
/// <param name="Partition">Copy only this partition's chunks (<c>--partition i/N</c>); null for all.</param>
internal sealed record CopySettings(int? ZarrFormat, int[]? ChunkShape, CompressorChoice? Compressor, long BlockBytes, int[]? ShardShape = null, CopyPartition? Partition = null);
