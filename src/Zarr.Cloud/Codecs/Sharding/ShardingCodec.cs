using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Sharding;

/// <summary>
/// The v3 <c>sharding_indexed</c> codec (array → bytes): a shard holds inner chunks, each encoded with the inner
/// codecs, and an index of their offsets and lengths at its end (default) or start. Whole shards decode and encode
/// here; <see cref="Arrays.ZarrArray"/> reads parts of a shard with range requests (the index by one suffix or
/// prefix request, then only the inner chunks a selection needs).
/// Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/sharding-indexed/index.html
/// </summary>
public sealed class ShardingCodec : IArrayToBytesCodec
{
    private readonly JsonArray _codecsJson;
    private readonly JsonArray _indexCodecsJson;

    /// <summary>Builds the codec for shards described by <paramref name="shardSpec"/>.</summary>
    /// <param name="shardSpec">The shard (the outer array's chunk).</param>
    /// <param name="innerChunkShape">The inner chunk shape; must divide the shard shape.</param>
    /// <param name="codecs">The inner codecs' metadata.</param>
    /// <param name="indexCodecs">The index codecs' metadata (fixed-size: bytes, optionally crc32c).</param>
    /// <param name="indexAtEnd">True for the index at the end of the shard.</param>
    /// <param name="registry">Builds the inner and index codecs.</param>
    public ShardingCodec(ChunkSpec shardSpec, int[] innerChunkShape, JsonArray codecs, JsonArray indexCodecs, bool indexAtEnd, CodecRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(shardSpec);
        ArgumentNullException.ThrowIfNull(innerChunkShape);
        ArgumentNullException.ThrowIfNull(registry);
        if (innerChunkShape.Length != shardSpec.Shape.Length)
            throw new FormatException($"chunk_shape has {innerChunkShape.Length} dimensions, the shard has {shardSpec.Shape.Length}");
        for (int d = 0; d < innerChunkShape.Length; d++)
            if (innerChunkShape[d] <= 0 || shardSpec.Shape[d] % innerChunkShape[d] != 0)
                throw new FormatException($"the inner chunk shape [{string.Join(", ", innerChunkShape)}] does not divide the shard shape [{string.Join(", ", shardSpec.Shape)}] (axis {d})");
        ShardSpec = shardSpec;
        InnerChunkShape = innerChunkShape;
        ChunksPerShard = shardSpec.Shape.Select((s, d) => s / innerChunkShape[d]).ToArray();
        ChunkCount = checked(ChunksPerShard.Aggregate(1, (a, b) => checked(a * b)));
        IndexAtEnd = indexAtEnd;
        _codecsJson = (JsonArray)codecs.DeepClone();
        _indexCodecsJson = (JsonArray)indexCodecs.DeepClone();
        var innerSpec = shardSpec.WithShape(innerChunkShape);
        InnerPipeline = BuildPipeline(registry, _codecsJson, innerSpec, "codecs");
        var indexSpec = new ChunkSpec([.. ChunksPerShard, 2], ZarrDataType.UInt64, FillValue.FromObject(ulong.MaxValue, ZarrDataType.UInt64));
        IndexPipeline = BuildPipeline(registry, _indexCodecsJson, indexSpec, "index_codecs");
        if (IndexPipeline.ArrayToBytes is not BytesCodec || IndexPipeline.ArrayToArray.Count > 0 || IndexPipeline.BytesToBytes.Any(c => c is not Crc32cCodec))
            throw new FormatException("index_codecs must be 'bytes' optionally followed by 'crc32c' (fixed-size codecs)");
        using var probe = EncodeIndex(new ShardIndex(ChunkCount));
        IndexLength = probe.Length;
    }

    private static CodecPipeline BuildPipeline(CodecRegistry registry, JsonArray codecs, ChunkSpec spec, string field)
    {
        var a2a = new List<IArrayToArrayCodec>();
        IArrayToBytesCodec? a2b = null;
        var b2b = new List<IBytesToBytesCodec>();
        var current = spec;
        foreach (var c in codecs)
        {
            switch (registry.CreateV3(c, current, $"sharding_indexed.{field}"))
            {
                case null: break;
                case IArrayToArrayCodec x when a2b is null: a2a.Add(x); current = x.GetEncodedSpec(current); break;
                case IArrayToBytesCodec x when a2b is null: a2b = x; break;
                case IBytesToBytesCodec x when a2b is not null: b2b.Add(x); break;
                default: throw new FormatException($"{field}: codec {c?["name"]} is out of order (array to array, then one array to bytes, then bytes to bytes)");
            }
        }
        return new CodecPipeline(spec, a2a, a2b ?? throw new FormatException($"{field} has no array to bytes codec"), b2b);
    }

    /// <summary>Builds the codec from v3 configuration.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="shardSpec">The shard.</param>
    /// <param name="registry">Builds the inner and index codecs.</param>
    public static ShardingCodec FromConfiguration(JsonObject? configuration, ChunkSpec shardSpec, CodecRegistry registry)
    {
        if (configuration?["chunk_shape"] is not JsonArray cs) throw new FormatException("configuration.chunk_shape is required");
        var shape = cs.Select(x => x?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? x.GetValue<int>() : throw new FormatException("chunk_shape must hold integers")).ToArray();
        if (configuration["codecs"] is not JsonArray codecs) throw new FormatException("configuration.codecs is required");
        var indexCodecs = configuration["index_codecs"] as JsonArray
            ?? new JsonArray(new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } }, new JsonObject { ["name"] = "crc32c" });
        var location = configuration["index_location"]?.ToString() ?? "end";
        if (location is not ("end" or "start")) throw new FormatException($"index_location must be \"start\" or \"end\", got \"{location}\"");
        return new ShardingCodec(shardSpec, shape, codecs, indexCodecs, location == "end", registry);
    }

    /// <inheritdoc />
    public string Name => "sharding_indexed";

    /// <summary>The shard's description.</summary>
    public ChunkSpec ShardSpec { get; }

    /// <summary>The inner chunk shape.</summary>
    public int[] InnerChunkShape { get; }

    /// <summary>Inner chunks per shard along each axis.</summary>
    public int[] ChunksPerShard { get; }

    /// <summary>Inner chunks per shard.</summary>
    public int ChunkCount { get; }

    /// <summary>True when the index is at the end of the shard.</summary>
    public bool IndexAtEnd { get; }

    /// <summary>The encoded size of the index in bytes.</summary>
    public int IndexLength { get; }

    /// <summary>The inner chunks' codecs.</summary>
    public CodecPipeline InnerPipeline { get; }

    /// <summary>The index codecs.</summary>
    public CodecPipeline IndexPipeline { get; }

    /// <summary>The range that holds the index: the last (or first) <see cref="IndexLength"/> bytes.</summary>
    public Storage.ByteRange IndexRange => IndexAtEnd ? Storage.ByteRange.Suffix(IndexLength) : Storage.ByteRange.Bounded(0, IndexLength);

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject
        {
            ["chunk_shape"] = new JsonArray(InnerChunkShape.Select(x => (JsonNode)x).ToArray()),
            ["codecs"] = _codecsJson.DeepClone(),
            ["index_codecs"] = _indexCodecsJson.DeepClone(),
            ["index_location"] = IndexAtEnd ? "end" : "start",
        },
    };

    /// <summary>A new sharding codec description (for <see cref="Arrays.ZarrArrayDefinition.Codecs"/>): inner chunks of <paramref name="innerChunkShape"/> encoded with <paramref name="codecs"/>.</summary>
    /// <param name="innerChunkShape">The inner chunk shape.</param>
    /// <param name="codecs">The inner codecs (an array to bytes codec first, e.g. bytes then zstd).</param>
    /// <param name="indexAtEnd">Index at the end (default) or start.</param>
    public static ShardingCodecDefinition Define(int[] innerChunkShape, IReadOnlyList<ICodec> codecs, bool indexAtEnd = true) => new(innerChunkShape, codecs, indexAtEnd);

    /// <inheritdoc />
    public int? GetEncodedLength(ChunkSpec spec) => null;

    /// <summary>Reads an index from its encoded bytes, checking it against the shard's size (when known).</summary>
    /// <param name="encoded">The encoded index (<see cref="IndexLength"/> bytes).</param>
    /// <param name="shardLength">The whole shard's size, or null when not known.</param>
    public ShardIndex DecodeIndex(ReadOnlySpan<byte> encoded, long? shardLength)
    {
        if (encoded.Length != IndexLength) throw new ZarrCodecException(null, Name, $"the index has {encoded.Length} bytes, expected {IndexLength} (is the shard truncated?)");
        using var decoded = IndexPipeline.Decode(encoded);
        long dataStart = IndexAtEnd ? 0 : IndexLength;
        long? dataEnd = shardLength is { } n ? (IndexAtEnd ? n - IndexLength : n) : null;
        return ShardIndex.Parse(decoded.Bytes!.Span, ChunkCount, dataStart, dataEnd);
    }

    private PooledBuffer EncodeIndex(ShardIndex index)
    {
        var bytes = index.ToBytes();
        using var chunk = ChunkData.FromBytes(PooledBuffer.CopyOf(bytes));
        return IndexPipeline.Encode(chunk);
    }

    /// <summary>The C-order number of the inner chunk at <paramref name="coords"/> (inner chunk coordinates within the shard).</summary>
    /// <param name="coords">Coordinates.</param>
    public int InnerChunkNumber(ReadOnlySpan<long> coords)
    {
        int n = 0;
        for (int d = 0; d < coords.Length; d++) n = n * ChunksPerShard[d] + (int)coords[d];
        return n;
    }

    /// <inheritdoc />
    public ChunkData Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        if (encoded.Length < IndexLength) throw new ZarrCodecException(null, Name, $"the shard has {encoded.Length} bytes, fewer than its {IndexLength}-byte index");
        var indexBytes = IndexAtEnd ? encoded[^IndexLength..] : encoded[..IndexLength];
        var index = DecodeIndex(indexBytes, encoded.Length);
        var shard = ChunkData.Filled(spec);
        try
        {
            var inner = InnerPipeline.Spec;
            var zeros = new int[spec.Shape.Length];
            var ones = Enumerable.Repeat(1, spec.Shape.Length).ToArray();
            var coords = new long[spec.Shape.Length];
            for (int i = 0; i < ChunkCount; i++)
            {
                if (!index.IsEmpty(i))
                {
                    var bytes = encoded.Slice((int)index.Offset(i), (int)index.Length(i));
                    using var chunk = InnerPipeline.Decode(bytes);
                    var dstStart = coords.Select((c, d) => (int)c * InnerChunkShape[d]).ToArray();
                    if (shard.Strings is { } s) StridedCopy.CopyRegion<string?>(chunk.Strings!, inner.Shape, zeros, ones, s, spec.Shape, dstStart, inner.Shape, 1);
                    else StridedCopy.CopyRegion<byte>(chunk.Bytes!.Span, inner.Shape, zeros, ones, shard.Bytes!.Span, spec.Shape, dstStart, inner.Shape, spec.DataType.ItemSize);
                }
                for (int d = coords.Length - 1; d >= 0; d--) { if (++coords[d] < ChunksPerShard[d]) break; coords[d] = 0; }
            }
            return shard;
        }
        catch
        {
            shard.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool TryDecodeInto(ReadOnlySpan<byte> encoded, ChunkSpec spec, Span<byte> destination) => false;

    /// <summary>
    /// Encodes a whole shard: inner chunks in C order, those that are all fill value omitted (empty in the index),
    /// then the index at the end (or first, at the start).
    /// </summary>
    /// <param name="decoded">The shard.</param>
    /// <param name="spec">Its description.</param>
    public PooledBuffer Encode(ChunkData decoded, ChunkSpec spec)
    {
        var inner = InnerPipeline.Spec;
        var index = new ShardIndex(ChunkCount);
        var parts = new List<PooledBuffer>();
        try
        {
            long offset = IndexAtEnd ? 0 : IndexLength;
            var ones = Enumerable.Repeat(1, spec.Shape.Length).ToArray();
            var zeros = new int[spec.Shape.Length];
            var coords = new long[spec.Shape.Length];
            for (int i = 0; i < ChunkCount; i++)
            {
                var srcStart = coords.Select((c, d) => (int)c * InnerChunkShape[d]).ToArray();
                using (var chunk = decoded.Strings is { } s
                    ? ChunkData.FromStrings(new string?[inner.ElementCount])
                    : ChunkData.FromBytes(new PooledBuffer(inner.ByteLength)))
                {
                    if (decoded.Strings is { } strings) StridedCopy.CopyRegion<string?>(strings, spec.Shape, srcStart, ones, chunk.Strings!, inner.Shape, zeros, inner.Shape, 1);
                    else StridedCopy.CopyRegion<byte>(decoded.Bytes!.Span, spec.Shape, srcStart, ones, chunk.Bytes!.Span, inner.Shape, zeros, inner.Shape, spec.DataType.ItemSize);
                    if (!chunk.IsAllFill(inner))
                    {
                        var encoded = InnerPipeline.Encode(chunk);
                        parts.Add(encoded);
                        index.Set(i, offset, encoded.Length);
                        offset += encoded.Length;
                    }
                }
                for (int d = coords.Length - 1; d >= 0; d--) { if (++coords[d] < ChunksPerShard[d]) break; coords[d] = 0; }
            }
            using var indexBytes = EncodeIndex(index);
            var result = new PooledBuffer(checked((int)(offset + (IndexAtEnd ? IndexLength : 0))));
            var span = result.Span;
            int o = 0;
            if (!IndexAtEnd) { indexBytes.Span.CopyTo(span); o = IndexLength; }
            foreach (var p in parts) { p.Span.CopyTo(span[o..]); o += p.Length; }
            if (IndexAtEnd) indexBytes.Span.CopyTo(span[o..]);
            return result;
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
