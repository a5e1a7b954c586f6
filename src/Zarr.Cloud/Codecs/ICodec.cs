using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs;

/// <summary>A codec of a chunk's pipeline. Every codec is one of the three kinds of Zarr v3.</summary>
public interface ICodec
{
    /// <summary>The v3 name, e.g. "gzip" or "bytes".</summary>
    string Name { get; }

    /// <summary>The v3 metadata of this codec: <c>{"name": ..., "configuration": {...}}</c>.</summary>
    JsonObject ToJson();
}

/// <summary>A codec that turns an array into another array (transpose; v2 filters such as delta).</summary>
public interface IArrayToArrayCodec : ICodec
{
    /// <summary>The shape and type of the encoded array, given the decoded one.</summary>
    /// <param name="decoded">The decoded chunk's description.</param>
    ChunkSpec GetEncodedSpec(ChunkSpec decoded);

    /// <summary>Encodes <paramref name="decoded"/>, described by <paramref name="decodedSpec"/>.</summary>
    /// <param name="decoded">The chunk.</param>
    /// <param name="decodedSpec">Its description.</param>
    ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec);

    /// <summary>Decodes <paramref name="encoded"/> into an array described by <paramref name="decodedSpec"/>.</summary>
    /// <param name="encoded">The encoded chunk.</param>
    /// <param name="decodedSpec">The description of the result.</param>
    ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec);
}

/// <summary>A codec that serialises an array to bytes (bytes, vlen-utf8, sharding_indexed).</summary>
public interface IArrayToBytesCodec : ICodec
{
    /// <summary>The encoded size when it depends only on the spec (the bytes codec), else null.</summary>
    /// <param name="spec">The decoded chunk's description.</param>
    int? GetEncodedLength(ChunkSpec spec);

    /// <summary>Serialises the chunk.</summary>
    /// <param name="decoded">The chunk.</param>
    /// <param name="spec">Its description.</param>
    Buffers.PooledBuffer Encode(ChunkData decoded, ChunkSpec spec);

    /// <summary>Deserialises a chunk. Throws <see cref="ZarrCodecException"/> on data of the wrong size or form.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="spec">The description of the result.</param>
    ChunkData Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec);

    /// <summary>
    /// Deserialises a fixed-size chunk straight into <paramref name="destination"/> (little-endian elements,
    /// C order), when this codec can; returns false when it cannot (then <see cref="Decode"/> is used).
    /// </summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="spec">The description of the result.</param>
    /// <param name="destination">Exactly the chunk's size in bytes.</param>
    bool TryDecodeInto(ReadOnlySpan<byte> encoded, ChunkSpec spec, Span<byte> destination);
}

/// <summary>A codec that turns bytes into bytes (compressors, checksums).</summary>
public interface IBytesToBytesCodec : ICodec
{
    /// <summary>Encodes <paramref name="decoded"/>.</summary>
    /// <param name="decoded">The bytes.</param>
    Buffers.PooledBuffer Encode(ReadOnlySpan<byte> decoded);

    /// <summary>
    /// Decodes <paramref name="encoded"/>. When <paramref name="expectedLength"/> is given the result must have
    /// exactly that length (a decoder never allocates more than it on the word of the data); otherwise the
    /// result may be any size. Throws <see cref="ZarrCodecException"/> on corrupt or truncated data.
    /// </summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="expectedLength">The decoded length, when known.</param>
    Buffers.PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength);

    /// <summary>Decodes into <paramref name="destination"/>, which the result must fill exactly.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="destination">The decoded bytes, of the exact expected length.</param>
    void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination);
}
