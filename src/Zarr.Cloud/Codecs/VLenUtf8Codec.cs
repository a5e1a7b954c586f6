using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>vlen-utf8</c> codec and numcodecs' <c>vlen-utf8</c> filter (array → bytes): a little-endian
/// uint32 count of items, then each item as a uint32 byte length and its UTF-8 bytes.
/// </summary>
public sealed class VLenUtf8Codec : IArrayToBytesCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <inheritdoc />
    public string Name => "vlen-utf8";

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name };

    /// <inheritdoc />
    public int? GetEncodedLength(ChunkSpec spec) => null;

    /// <inheritdoc />
    public PooledBuffer Encode(ChunkData decoded, ChunkSpec spec)
    {
        var items = decoded.Strings ?? throw new ZarrCodecException(null, Name, "expected strings");
        long total = 4;
        foreach (var s in items) total += 4 + Encoding.UTF8.GetByteCount(s ?? "");
        if (total > Array.MaxLength) throw new ZarrCodecException(null, Name, $"the chunk's strings need {total} bytes, more than one buffer can hold");
        var b = new PooledBuffer((int)total);
        var span = b.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)items.Length);
        int o = 4;
        foreach (var s in items)
        {
            int n = Encoding.UTF8.GetBytes(s ?? "", span[(o + 4)..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[o..], (uint)n);
            o += 4 + n;
        }
        return b;
    }

    /// <inheritdoc />
    public ChunkData Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        if (encoded.Length < 4) throw new ZarrCodecException(null, Name, $"{encoded.Length} bytes is too short for the item count");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (count != spec.ElementCount) throw new ZarrCodecException(null, Name, $"the data holds {count} items, the chunk has {spec.ElementCount} elements");
        var result = new string?[count];
        int o = 4;
        for (int i = 0; i < count; i++)
        {
            if (encoded.Length - o < 4) throw new ZarrCodecException(null, Name, $"truncated at item {i} of {count}: no length");
            uint n = BinaryPrimitives.ReadUInt32LittleEndian(encoded[o..]);
            o += 4;
            if (n > (uint)(encoded.Length - o)) throw new ZarrCodecException(null, Name, $"item {i} claims {n} bytes, only {encoded.Length - o} remain");
            try { result[i] = StrictUtf8.GetString(encoded.Slice(o, (int)n)); }
            catch (DecoderFallbackException e) { throw new ZarrCodecException(null, Name, $"item {i} is not valid UTF-8", e); }
            o += (int)n;
        }
        if (o != encoded.Length) throw new ZarrCodecException(null, Name, $"{encoded.Length - o} bytes follow the last item");
        return ChunkData.FromStrings(result);
    }

    /// <inheritdoc />
    public bool TryDecodeInto(ReadOnlySpan<byte> encoded, ChunkSpec spec, Span<byte> destination) => false;
}
