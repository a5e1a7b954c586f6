using Zarr.Cloud.Caching;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Diagnostics;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>Partial reads: the parts of a stored chunk a selection needs, fetched with range requests.</summary>
public partial class ZarrArray
{
    private ShardIndexCache? _shardIndexes;
    private long? _storeIdentity;

    /// <summary>Shard indexes read so far (sharded arrays): one cache per store instance, shared by its arrays.</summary>
    public ShardIndexCache ShardIndexes => _shardIndexes ??= ShardIndexCache.ForStore(Store);

    /// <summary>The chunk cache key of a chunk of this array (of an inner chunk of a shard when <paramref name="inner"/> is 0 or more).</summary>
    private ChunkCacheKey CacheKey(string key, int inner = -1) => new(_storeIdentity ??= StoreIdentity.Of(Store), Path, key, inner);

    /// <summary>Fetches and decodes a whole chunk for the chunk cache (null when it does not exist).</summary>
    private async ValueTask<byte[]?> LoadDecodedAsync(string key, SemaphoreSlim decodeSlots, CancellationToken ct)
    {
        using var value = await Store.GetAsync(key, default, ct).ConfigureAwait(false);
        if (value is null) return null;
        await decodeSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return DecodeToArray(Pipeline, value.Span, key);
        }
        finally
        {
            decodeSlots.Release();
        }
    }

    /// <summary>Removes what the chunk at <paramref name="key"/> was cached as: its shard index and its decoded data (inner chunks too).</summary>
    private void InvalidateChunk(string key)
    {
        ShardIndexes.Remove(key);
        if (Options.ChunkCache is not { } cache) return;
        cache.Remove(CacheKey(key));
        if (Pipeline.ArrayToBytes is ShardingCodec sharding)
            for (int n = 0; n < sharding.ChunkCount; n++) cache.Remove(CacheKey(key, n));
    }

    /// <summary>
    /// Reads the part of one stored chunk that <paramref name="p"/> needs with range requests, when the codecs allow:
    /// a shard (its index, then only the inner chunks needed, coalesced) or an uncompressed chunk (only the
    /// bytes needed). False when the whole chunk must be read instead.
    /// </summary>
    /// <remarks>
    /// With a chunk cache, a shard is always read inner chunk by inner chunk (only those not cached are fetched, and
    /// each is cached), and uncompressed chunks are read whole, so that the cache holds whole decoded chunks.
    /// </remarks>
    private async ValueTask<bool> TryReadPartialAsync(ChunkProjection p, string key, int[] outShape, OutputTarget target, ChunkCache? cache, CancellationToken ct)
    {
        var pipeline = Pipeline;
        if (pipeline.ArrayToArray.Count > 0 || pipeline.BytesToBytes.Count > 0) return false;
        if (pipeline.ArrayToBytes is ShardingCodec sharding)
        {
            if (p.CoversWholeChunk && cache is null) await ReadWholeShardAsync(sharding, p, key, outShape, target, ct).ConfigureAwait(false);
            else await ReadShardPartAsync(sharding, p, key, outShape, target, cache, ct).ConfigureAwait(false);
            return true;
        }
        if (cache is null && pipeline.ArrayToBytes is BytesCodec bytes && target.Bytes is not null && !p.CoversWholeChunk && (Store.Capabilities & StoreCapabilities.ByteRanges) != 0)
            return await TryReadBytesPartAsync(bytes, p, key, outShape, target, ct).ConfigureAwait(false);
        return false;
    }

    /// <summary>The index of the shard at <paramref name="key"/> (cached), or null when the shard does not exist.</summary>
    internal async ValueTask<ShardIndex?> GetShardIndexAsync(ShardingCodec sharding, string key, CancellationToken ct)
    {
        if (ShardIndexes.TryGet(key, out var cached)) return cached;
        using var value = await Store.GetAsync(key, sharding.IndexRange, ct).ConfigureAwait(false);
        if (value is null) return null;
        ShardIndex index;
        try
        {
            index = sharding.DecodeIndex(value.Span, value.TotalLength);
        }
        catch (ZarrCodecException e)
        {
            throw e.WithKey(key);
        }
        ShardIndexes.Set(key, index);
        return index;
    }

    /// <summary>A whole shard: one request, then its inner chunks decoded straight into the output, in parallel.</summary>
    private async Task ReadWholeShardAsync(ShardingCodec sharding, ChunkProjection p, string key, int[] outShape, OutputTarget target, CancellationToken ct)
    {
        using var value = await Store.GetAsync(key, default, ct).ConfigureAwait(false);
        if (value is null)
        {
            MissingChunk(key, p.Axes, outShape, target);
            return;
        }
        ShardIndex index;
        try
        {
            if (value.Length < sharding.IndexLength) throw new ZarrCodecException(null, sharding.Name, $"the shard has {value.Length} bytes, fewer than its {sharding.IndexLength}-byte index");
            var span = value.Span;
            index = sharding.DecodeIndex(sharding.IndexAtEnd ? span[^sharding.IndexLength..] : span[..sharding.IndexLength], value.Length);
        }
        catch (ZarrCodecException e)
        {
            throw e.WithKey(key);
        }
        ShardIndexes.Set(key, index);
        var parts = InnerParts(sharding, p).ToList();
        var memory = value.Memory;
        Parallel.ForEach(parts, new ParallelOptions { MaxDegreeOfParallelism = Options.DecodeParallelism, CancellationToken = ct }, part =>
        {
            var (n, axes) = part;
            if (index.IsEmpty(n))
            {
                FillRegion(axes, outShape, target);
                return;
            }
            try
            {
                DecodeRegion(sharding.InnerPipeline, sharding.InnerChunkShape, axes, memory.Span.Slice((int)index.Offset(n), (int)index.Length(n)), outShape, target);
            }
            catch (ZarrCodecException e)
            {
                throw e.WithKey(key);
            }
        });
    }

    /// <summary>The inner chunks of a shard that a projection touches: their numbers and their parts placed in the output.</summary>
    private static IEnumerable<(int Number, AxisChunk[] Axes)> InnerParts(ShardingCodec sharding, ChunkProjection p)
    {
        var shardShape = sharding.ShardSpec.Shape.Select(s => (long)s).ToArray();
        var local = p.Axes.Select(a => new ResolvedAxis(a.Start, a.Step, a.Count, false)).ToArray();
        foreach (var ip in new ChunkGrid(shardShape, sharding.InnerChunkShape).Project(local))
            yield return (sharding.InnerChunkNumber(ip.Coordinates), ip.Axes.Select((a, d) => a with { OutputStart = p.Axes[d].OutputStart + a.OutputStart }).ToArray());
    }

    /// <summary>
    /// The inner chunks of a shard that a projection touches: those in <paramref name="cache"/> copied from it, the
    /// others fetched in coalesced range requests after the shard index, decoded (and cached).
    /// </summary>
    private async Task ReadShardPartAsync(ShardingCodec sharding, ChunkProjection p, string key, int[] outShape, OutputTarget target, ChunkCache? cache, CancellationToken ct)
    {
        long generation = cache?.Generation ?? 0;
        var parts = new List<(int Number, AxisChunk[] Axes)>();
        foreach (var part in InnerParts(sharding, p))
        {
            if (cache is not null && cache.TryGet(CacheKey(key, part.Number), out var held)) CopyDecoded(held, sharding.InnerChunkShape, part.Axes, outShape, target);
            else parts.Add(part);
        }
        if (parts.Count == 0) return;
        var index = await GetShardIndexAsync(sharding, key, ct).ConfigureAwait(false);
        if (index is null)
        {
            if (Options.MissingChunks == MissingChunkBehavior.Throw) throw new ZarrChunkNotFoundException(key);
            foreach (var part in parts) FillRegion(part.Axes, outShape, target);
            return;
        }
        var ranges = new List<ByteRange>();
        var wanted = new List<(int Number, AxisChunk[] Axes)>();
        foreach (var (n, axes) in parts)
        {
            if (index.IsEmpty(n))
            {
                FillRegion(axes, outShape, target);
                continue;
            }
            ranges.Add(ByteRange.Bounded(index.Offset(n), index.Length(n)));
            wanted.Add((n, axes));
        }
        if (ranges.Count == 0) return;
        var values = await Store.GetRangesAsync(key, ranges, ct).ConfigureAwait(false);
        try
        {
            for (int i = 0; i < wanted.Count; i++)
            {
                var v = values[i] ?? throw new StoreException(key, Store.ToString() ?? "store", "the shard disappeared while it was being read", isTransient: true);
                if (v.Length != ranges[i].Length)
                    throw new ZarrCodecException(key, "sharding_indexed", $"inner chunk at {ranges[i]}: read {v.Length} bytes, the index says {ranges[i].Length} (is the shard truncated?)");
                var (n, axes) = wanted[i];
                if (cache is not null)
                {
                    var decoded = DecodeToArray(sharding.InnerPipeline, v.Span, key);
                    cache.Set(CacheKey(key, n), decoded, generation);
                    CopyDecoded(decoded, sharding.InnerChunkShape, axes, outShape, target);
                    continue;
                }
                try
                {
                    DecodeRegion(sharding.InnerPipeline, sharding.InnerChunkShape, axes, v.Span, outShape, target);
                }
                catch (ZarrCodecException e)
                {
                    throw e.WithKey(key);
                }
            }
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
        }
    }

    /// <summary>Decodes one chunk with <paramref name="pipeline"/> and copies the region <paramref name="axes"/> of it into the output.</summary>
    private static void DecodeRegion(CodecPipeline pipeline, int[] chunkShape, AxisChunk[] axes, ReadOnlySpan<byte> encoded, int[] outShape, OutputTarget target)
    {
        ZarrCloudTelemetry.ChunksDecoded.Add(1);
        int rank = axes.Length;
        // Per-axis scratch on the stack: no arrays allocated per chunk.
        Span<int> dstStart = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> count = rank <= 16 ? stackalloc int[rank] : new int[rank];
        bool whole = true;
        for (int d = 0; d < rank; d++)
        {
            dstStart[d] = (int)axes[d].OutputStart;
            count[d] = axes[d].Count;
            whole &= axes[d].Start == 0 && axes[d].Count == chunkShape[d] && (axes[d].Step == 1 || chunkShape[d] == 1);
        }
        if (whole && target.Bytes is not null && pipeline.CanDecodeInto && IsContiguous(count, outShape, out var offset, dstStart))
        {
            var dest = target.Bytes.Span.Slice(checked((int)(offset * target.Width)), pipeline.Spec.ByteLength);
            if (pipeline.TryDecodeInto(encoded, dest)) return;
        }
        using var chunk = pipeline.Decode(encoded);
        if (target.Strings is { } strings) CopyRegion<string?>(chunk.Strings!, chunkShape, axes, strings, outShape, 1);
        else CopyRegion<byte>(chunk.Bytes!.Span, chunkShape, axes, target.Bytes!.Span, outShape, target.Width);
    }

    /// <summary>Copies the region <paramref name="axes"/> of a decoded chunk of fixed-size elements into the output.</summary>
    private static void CopyDecoded(ReadOnlySpan<byte> decoded, int[] chunkShape, AxisChunk[] axes, int[] outShape, OutputTarget target)
        => CopyRegion(decoded, chunkShape, axes, target.Bytes!.Span, outShape, target.Width);

    private static void CopyRegion<T>(ReadOnlySpan<T> chunk, int[] chunkShape, AxisChunk[] axes, Span<T> output, int[] outShape, int width)
    {
        int rank = axes.Length;
        // Per-axis scratch on the stack: no arrays allocated per chunk.
        Span<int> srcStart = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> srcStep = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> dstStart = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<int> count = rank <= 16 ? stackalloc int[rank] : new int[rank];
        for (int d = 0; d < rank; d++)
        {
            srcStart[d] = axes[d].Start;
            srcStep[d] = axes[d].Step;
            dstStart[d] = (int)axes[d].OutputStart;
            count[d] = axes[d].Count;
        }
        StridedCopy.CopyRegion(chunk, chunkShape, srcStart, srcStep, output, outShape, dstStart, count, width);
    }

    /// <summary>Decodes a whole chunk into a new array (what the chunk cache holds).</summary>
    private static byte[] DecodeToArray(CodecPipeline pipeline, ReadOnlySpan<byte> encoded, string key)
    {
        ZarrCloudTelemetry.ChunksDecoded.Add(1);
        var decoded = GC.AllocateUninitializedArray<byte>(pipeline.Spec.ByteLength);
        try
        {
            if (pipeline.TryDecodeInto(encoded, decoded)) return decoded;
            using var chunk = pipeline.Decode(encoded);
            chunk.Bytes!.Span.CopyTo(decoded);
            return decoded;
        }
        catch (ZarrCodecException e)
        {
            throw e.WithKey(key);
        }
    }

    private void FillRegion(AxisChunk[] axes, int[] outShape, OutputTarget target)
    {
        var dstStart = axes.Select(a => (int)a.OutputStart).ToArray();
        var count = axes.Select(a => a.Count).ToArray();
        if (target.Strings is { } s) StridedCopy.FillRegion<string?>([FillValue.Text], s, outShape, dstStart, count);
        else StridedCopy.FillRegion(FillValue.Bytes, target.Bytes!.Span, outShape, dstStart, count);
    }

    /// <summary>
    /// Reads only the bytes a region of an uncompressed chunk needs: one range per run of consecutive elements,
    /// coalesced by the store. Falls back (false) when the region needs most of the chunk or too many runs.
    /// </summary>
    private async ValueTask<bool> TryReadBytesPartAsync(BytesCodec codec, ChunkProjection p, string key, int[] outShape, OutputTarget target, CancellationToken ct)
    {
        var chunkShape = Metadata.ChunkShape;
        int rank = chunkShape.Length;
        int w = target.Width;
        long needed = p.ElementCount;
        long chunkElements = chunkShape.Aggregate(1L, (a, x) => a * x);
        var inner = p.Axes[rank - 1];
        int runLength = inner.Step == 1 ? inner.Count : 1;
        long runs = needed / runLength;
        if (needed * 2 > chunkElements || runs > 4096) return false;
        var chunkStrides = StridedCopy.Strides(chunkShape);
        var outStrides = StridedCopy.Strides(outShape);
        var ranges = new List<ByteRange>((int)runs);
        var destinations = new List<long>((int)runs);
        var idx = new int[rank];
        var counts = p.Axes.Select(a => a.Count).ToArray();
        if (inner.Step == 1) counts[rank - 1] = 1;
        while (true)
        {
            long src = 0, dst = 0;
            for (int d = 0; d < rank; d++)
            {
                src += ((long)p.Axes[d].Start + (long)idx[d] * p.Axes[d].Step) * chunkStrides[d];
                dst += (p.Axes[d].OutputStart + idx[d]) * outStrides[d];
            }
            ranges.Add(ByteRange.Bounded(src * w, (long)runLength * w));
            destinations.Add(dst);
            int k = rank - 1;
            while (k >= 0)
            {
                if (++idx[k] < counts[k]) break;
                idx[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
        IReadOnlyList<StoreValue?> values;
        var spec = Pipeline.Spec;
        try
        {
            values = await Store.GetRangesAsync(key, ranges, ct).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.Status == 416)
        {
            throw new ZarrCodecException(key, codec.Name, $"the chunk is shorter than its {spec.ByteLength} bytes", e);
        }
        try
        {
            if (values.FirstOrDefault(v => v?.TotalLength is not null) is { TotalLength: { } total } && total != spec.ByteLength)
                throw new ZarrCodecException(key, codec.Name, $"decoded size {total} bytes, expected {spec.ByteLength} (shape [{string.Join(", ", spec.Shape)}] of {spec.DataType})");
            if (values.All(v => v is null))
            {
                MissingChunk(key, p.Axes, outShape, target);
                return true;
            }
            var output = target.Bytes!.Span;
            for (int i = 0; i < ranges.Count; i++)
            {
                var v = values[i];
                if (v is null || v.Length != ranges[i].Length)
                    throw new ZarrCodecException(key, codec.Name, $"decoded size {v?.Length ?? 0} bytes at {ranges[i]}, expected {ranges[i].Length} (chunk of {spec.ByteLength} bytes truncated?)");
                var dest = output.Slice(checked((int)(destinations[i] * w)), v.Length);
                v.Span.CopyTo(dest);
                if (codec.BigEndian == true && spec.DataType.SwapUnit > 1) Endianness.SwapInPlace(dest, spec.DataType.SwapUnit);
            }
            return true;
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
        }
    }
}
