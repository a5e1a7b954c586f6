using System.Buffers.Binary;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// The 16-byte header of a c-blosc 1.x frame (format version 2), read and checked. All integers are little-endian:
/// <code>
/// 0 version (2) | 1 compressor format version (1) | 2 flags | 3 typesize | 4..7 nbytes | 8..11 blocksize | 12..15 cbytes
/// </code>
/// Flags: 0x01 byte shuffle, 0x02 the data follows raw (memcpyed), 0x04 bit shuffle, 0x08 reserved (zero), 0x10 blocks
/// are not split into one stream per byte of the type, bits 5..7 the compressor (0 blosclz, 1 lz4/lz4hc, 2 snappy,
/// 3 zlib, 4 zstd). Unless memcpyed, an int32 offset per block (from the start of the frame) follows, then the blocks,
/// each one or <c>typesize</c> streams of an int32 length and the compressed bytes (a length equal to the stream's
/// decoded size means stored raw).
/// </summary>
internal readonly struct BloscFrame
{
    public const int HeaderLength = 16;
    public const byte FormatVersion = 2;
    public const int MaxTypeSize = 255;
    public const int MaxBufferSize = int.MaxValue - HeaderLength;
    public const int MaxBlockSize = (int.MaxValue - MaxTypeSize * 4) / 3;
    public const int MinBufferSize = 128;
    public const int MaxSplits = 16;

    public const byte FlagShuffle = 0x01;
    public const byte FlagMemcpyed = 0x02;
    public const byte FlagBitShuffle = 0x04;
    public const byte FlagReserved = 0x08;
    public const byte FlagDontSplit = 0x10;

    public BloscFrame(byte version, byte versionLz, byte flags, byte typeSize, int nbytes, int blockSize, int cbytes)
    {
        Version = version;
        VersionLz = versionLz;
        Flags = flags;
        TypeSize = typeSize;
        NBytes = nbytes;
        BlockSize = blockSize;
        CBytes = cbytes;
    }

    public byte Version { get; }
    public byte VersionLz { get; }
    public byte Flags { get; }
    public byte TypeSize { get; }
    public int NBytes { get; }
    public int BlockSize { get; }
    public int CBytes { get; }

    public bool Memcpyed => (Flags & FlagMemcpyed) != 0;
    public bool DontSplit => (Flags & FlagDontSplit) != 0;

    /// <summary>The compressor format: 0 blosclz, 1 lz4, 2 snappy, 3 zlib, 4 zstd.</summary>
    public int Format => Flags >> 5;

    public int BlockCount => NBytes == 0 ? 0 : (int)(((long)NBytes + BlockSize - 1) / BlockSize);

    /// <summary>Reads and checks a header against the frame's length; <paramref name="expectedLength"/> is the decoded size when known.</summary>
    public static BloscFrame Read(ReadOnlySpan<byte> frame, int? expectedLength)
    {
        if (frame.Length < HeaderLength) throw Error($"the frame has {frame.Length} bytes, fewer than the {HeaderLength} of a header");
        var h = new BloscFrame(frame[0], frame[1], frame[2], frame[3],
            BinaryPrimitives.ReadInt32LittleEndian(frame[4..]), BinaryPrimitives.ReadInt32LittleEndian(frame[8..]), BinaryPrimitives.ReadInt32LittleEndian(frame[12..]));
        if (h.Version != FormatVersion)
            throw Error(h.Version > FormatVersion ? $"format version {h.Version} is not a c-blosc 1.x frame (version 2); c-blosc2 chunks are not supported" : $"unknown format version {h.Version}");
        if (h.NBytes < 0 || h.NBytes > MaxBufferSize) throw Error($"the header claims {(uint)h.NBytes} decoded bytes");
        if (expectedLength is { } n && h.NBytes != n) throw Error($"the header claims {h.NBytes} decoded bytes, the chunk holds {n}");
        if (h.CBytes < HeaderLength) throw Error($"the header claims a frame of {h.CBytes} bytes, fewer than its own {HeaderLength}");
        if (h.CBytes > frame.Length) throw Error($"the header claims a frame of {h.CBytes} bytes, only {frame.Length} are there (truncated?)");
        if (h.NBytes == 0) return h; // c-blosc reads nothing more of an empty frame
        if ((h.Flags & FlagReserved) != 0) throw Error($"reserved flag bit 3 is set (flags 0x{h.Flags:x2})");
        if (h.TypeSize == 0) throw Error("typesize is 0");
        if (h.BlockSize <= 0 || h.BlockSize > h.NBytes || h.BlockSize > MaxBlockSize) throw Error($"block size {h.BlockSize} for {h.NBytes} decoded bytes");
        if (h.Memcpyed)
        {
            if ((long)h.NBytes + HeaderLength != h.CBytes) throw Error($"a raw (memcpyed) frame of {h.NBytes} bytes must be {h.NBytes + (long)HeaderLength} long, the header says {h.CBytes}");
            return h;
        }
        if (h.Format > 4) throw Error($"unknown compressor format {h.Format}");
        if (h.VersionLz != 1) throw Error($"unknown version {h.VersionLz} of compressor format {h.Format}");
        if (h.BlockCount > (h.CBytes - HeaderLength) / 4) throw Error($"{h.BlockCount} blocks do not fit in a frame of {h.CBytes} bytes");
        return h;
    }

    public static ZarrCodecException Error(string message) => new(null, "blosc", message);

    /// <summary>Whether block (of <paramref name="blockLength"/> bytes) is stored as one stream per byte of the type.</summary>
    /// <remarks>
    /// The rule c-blosc 1.12 and later read by: split unless flag 0x10 is set, the type is wider than 16 bytes, a stream
    /// would hold fewer than 128 bytes, or this is the last, shorter block. Frames from before the flag existed (before
    /// 1.11) split under the same conditions, and 1.11 to 1.21 set the flag whenever they did not split.
    /// </remarks>
    public bool IsSplit(int blockLength, bool leftover)
        => !DontSplit && TypeSize <= MaxSplits && blockLength / TypeSize >= MinBufferSize && !leftover;
}
