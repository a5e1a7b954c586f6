using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Sharding;

/// <summary>
/// A sharding codec to put in <see cref="Arrays.ZarrArrayDefinition.Codecs"/> when creating an array: the codec
/// itself is bound to the shard spec when the array is opened.
/// </summary>
/// <param name="InnerChunkShape">The inner chunk shape; must divide the shard (chunk) shape.</param>
/// <param name="InnerCodecs">The inner codecs.</param>
/// <param name="IndexAtEnd">Index at the end (default) or start.</param>
public sealed record ShardingCodecDefinition(int[] InnerChunkShape, IReadOnlyList<ICodec> InnerCodecs, bool IndexAtEnd = true) : IArrayToBytesCodec
{
    /// <inheritdoc />
    public string Name => "sharding_indexed";

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject
        {
            ["chunk_shape"] = new JsonArray(InnerChunkShape.Select(x => (JsonNode)x).ToArray()),
            ["codecs"] = new JsonArray(InnerCodecs.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["index_codecs"] = new JsonArray(new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } }, new JsonObject { ["name"] = "crc32c" }),
            ["index_location"] = IndexAtEnd ? "end" : "start",
        },
    };

    /// <inheritdoc />
    public int? GetEncodedLength(ChunkSpec spec) => null;

    /// <inheritdoc />
    public Buffers.PooledBuffer Encode(ChunkData decoded, ChunkSpec spec) => throw new NotSupportedException("A sharding definition only describes the codec; open the array to encode.");

    /// <inheritdoc />
    public ChunkData Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec) => throw new NotSupportedException("A sharding definition only describes the codec; open the array to decode.");

    /// <inheritdoc />
    public bool TryDecodeInto(ReadOnlySpan<byte> encoded, ChunkSpec spec, Span<byte> destination) => false;
}
