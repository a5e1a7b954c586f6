using System.Buffers.Binary;

namespace Zarr.Cloud.Codecs.Sharding;

/// <summary>
/// The index of a shard: for each inner chunk (C order), the offset and length of its encoded bytes in the shard,
/// or "empty" (both 2^64-1: the inner chunk is the fill value).
/// </summary>
public sealed class ShardIndex
{
    /// <summary>The marker of an empty inner chunk.</summary>
    public const ulong Empty = ulong.MaxValue;

    private readonly ulong[] _entries;

    /// <summary>An index of <paramref name="chunkCount"/> empty entries.</summary>
    /// <param name="chunkCount">Inner chunks per shard.</param>
    public ShardIndex(int chunkCount)
    {
        _entries = new ulong[checked(chunkCount * 2)];
        Array.Fill(_entries, Empty);
    }

    private ShardIndex(ulong[] entries) => _entries = entries;

    /// <summary>Inner chunks per shard.</summary>
    public int ChunkCount => _entries.Length / 2;

    /// <summary>True when inner chunk <paramref name="i"/> is empty.</summary>
    /// <param name="i">The inner chunk, in C order.</param>
    public bool IsEmpty(int i) => _entries[2 * i] == Empty && _entries[2 * i + 1] == Empty;

    /// <summary>The offset of inner chunk <paramref name="i"/>.</summary>
    /// <param name="i">The inner chunk, in C order.</param>
    public long Offset(int i) => (long)_entries[2 * i];

    /// <summary>The encoded length of inner chunk <paramref name="i"/>.</summary>
    /// <param name="i">The inner chunk, in C order.</param>
    public long Length(int i) => (long)_entries[2 * i + 1];

    /// <summary>Sets inner chunk <paramref name="i"/>.</summary>
    /// <param name="i">The inner chunk.</param>
    /// <param name="offset">Its offset.</param>
    /// <param name="length">Its encoded length.</param>
    public void Set(int i, long offset, long length)
    {
        _entries[2 * i] = (ulong)offset;
        _entries[2 * i + 1] = (ulong)length;
    }

    /// <summary>True when every inner chunk is empty.</summary>
    public bool AllEmpty => Array.TrueForAll(_entries, e => e == Empty);

    /// <summary>The entries as little-endian bytes (the decoded form of the index).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[_entries.Length * 8];
        for (int i = 0; i < _entries.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(i * 8), _entries[i]);
        return b;
    }

    /// <summary>
    /// Reads decoded index bytes and checks every entry against the shard: offsets and lengths inside the shard's
    /// data area, no two inner chunks overlapping, half-empty entries refused.
    /// </summary>
    /// <param name="decoded">16 bytes per inner chunk, little-endian.</param>
    /// <param name="chunkCount">Inner chunks per shard.</param>
    /// <param name="dataStart">Where the inner chunk bytes may begin (after an index at the start).</param>
    /// <param name="dataEnd">Where they must end (before an index at the end), or null when the shard's size is not known.</param>
    /// <exception cref="ZarrCodecException">An entry is out of bounds or overlaps another.</exception>
    public static ShardIndex Parse(ReadOnlySpan<byte> decoded, int chunkCount, long dataStart, long? dataEnd)
    {
        if (decoded.Length != chunkCount * 16) throw new ZarrCodecException(null, "sharding_indexed", $"the index has {decoded.Length} bytes, expected {chunkCount * 16}");
        var entries = new ulong[chunkCount * 2];
        for (int i = 0; i < entries.Length; i++) entries[i] = BinaryPrimitives.ReadUInt64LittleEndian(decoded[(i * 8)..]);
        var index = new ShardIndex(entries);
        var used = new List<(long Start, long End, int Chunk)>();
        for (int i = 0; i < chunkCount; i++)
        {
            ulong o = entries[2 * i], n = entries[2 * i + 1];
            if (o == Empty && n == Empty) continue;
            if (o == Empty || n == Empty) throw new ZarrCodecException(null, "sharding_indexed", $"inner chunk {i}: offset {o} and nbytes {n}, only one of them marks it empty");
            if (o > long.MaxValue || n > long.MaxValue || (long)o < dataStart || (dataEnd is { } end && ((long)o > end || (long)n > end - (long)o)))
                throw new ZarrCodecException(null, "sharding_indexed", $"inner chunk {i}: bytes [{o}, {o}+{n}) lie outside the shard's data [{dataStart}, {dataEnd?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})");
            if (n > int.MaxValue) throw new ZarrCodecException(null, "sharding_indexed", $"inner chunk {i}: nbytes {n} is larger than one buffer can hold");
            used.Add(((long)o, (long)(o + n), i));
        }
        used.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int k = 1; k < used.Count; k++)
            if (used[k].Start < used[k - 1].End)
                throw new ZarrCodecException(null, "sharding_indexed", $"inner chunks {used[k - 1].Chunk} and {used[k].Chunk} overlap ([{used[k - 1].Start}, {used[k - 1].End}) and [{used[k].Start}, {used[k].End}))");
        return index;
    }
}
