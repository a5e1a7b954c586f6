using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// The v3 <c>blosc</c> codec and numcodecs' <c>Blosc</c> (v2 id "blosc"): c-blosc 1.x frames, read and written in
/// managed code (no native library). Compressors: blosclz, lz4, lz4hc, snappy, zlib, zstd; filters: shuffle,
/// bitshuffle or none, for types of 1 to 255 bytes.
/// Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/blosc/index.html; frame format: c-blosc's
/// README_CHUNK_FORMAT.rst.
/// </summary>
/// <example>
/// v3: <c>{"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}}</c>;
/// v2: <c>{"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0}</c>.
/// </example>
public sealed class BloscCodec : IBytesToBytesCodec, IV2Codec
{
    private static readonly string[] Names = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
    private static readonly string[] ShuffleNames = ["noshuffle", "shuffle", "bitshuffle"];

    /// <summary>Creates the codec.</summary>
    /// <param name="compressor">The compressor inside the frame.</param>
    /// <param name="level">The compression level, 0 (stored raw) to 9.</param>
    /// <param name="shuffle">The filter applied before compressing.</param>
    /// <param name="typeSize">The element size the shuffles work on, in bytes (types wider than 255 bytes are shuffled as bytes).</param>
    /// <param name="blockSize">The block size in bytes, or 0 to let it be chosen as c-blosc does.</param>
    public BloscCodec(BloscCompressor compressor = BloscCompressor.LZ4, int level = 5, BloscShuffleMode shuffle = BloscShuffleMode.Shuffle, int typeSize = 1, int blockSize = 0)
    {
        if (!Enum.IsDefined(compressor)) throw new FormatException($"codec 'blosc': unknown compressor {(int)compressor}");
        if (level is < 0 or > 9) throw new FormatException($"codec 'blosc': clevel must be 0..9, got {level}");
        if (!Enum.IsDefined(shuffle)) throw new FormatException($"codec 'blosc': unknown shuffle {(int)shuffle}");
        if (typeSize < 1) throw new FormatException($"codec 'blosc': typesize must be at least 1, got {typeSize}");
        if (blockSize < 0) throw new FormatException($"codec 'blosc': blocksize must be 0 (automatic) or positive, got {blockSize}");
        Compressor = compressor;
        Level = level;
        Shuffle = shuffle;
        TypeSize = typeSize;
        BlockSize = blockSize;
    }

    /// <summary>The compressor inside the frame.</summary>
    public BloscCompressor Compressor { get; }

    /// <summary>The compressor's name ("lz4", "zstd", ...).</summary>
    public string CompressorName => NameOf(Compressor);

    /// <summary>The compression level, 0..9.</summary>
    public int Level { get; }

    /// <summary>The filter applied before compressing.</summary>
    public BloscShuffleMode Shuffle { get; }

    /// <summary>The element size the shuffles work on.</summary>
    public int TypeSize { get; }

    /// <summary>The block size, 0 for automatic.</summary>
    public int BlockSize { get; }

    /// <summary>
    /// How many threads may decode the blocks of one frame of 1 MiB or more (default 1: the calling thread only).
    /// Array reads already decode chunks concurrently, and splitting each chunk's blocks across threads as well
    /// measured no faster there (slower with zstd: docs/benchmarks.md); raise it to decode a few large frames.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>True when the v2 metadata asked for numcodecs' AUTOSHUFFLE (-1); written back as -1.</summary>
    public bool AutoShuffle { get; init; }

    /// <inheritdoc />
    public string Name => "blosc";

    /// <summary>The name of a compressor as numcodecs and the v3 spec write it.</summary>
    /// <param name="compressor">The compressor.</param>
    public static string NameOf(BloscCompressor compressor) => Names[(int)compressor];

    /// <summary>Reads a compressor name ("blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd").</summary>
    /// <param name="name">The name.</param>
    public static BloscCompressor ParseCompressor(string name)
    {
        int i = Array.IndexOf(Names, name);
        if (i < 0) throw new FormatException($"codec 'blosc': unknown cname '{name}' (one of {string.Join(", ", Names)})");
        return (BloscCompressor)i;
    }

    /// <summary>Reads a v3 shuffle name ("noshuffle", "shuffle", "bitshuffle").</summary>
    /// <param name="name">The name.</param>
    public static BloscShuffleMode ParseShuffle(string name)
    {
        int i = Array.IndexOf(ShuffleNames, name);
        if (i < 0) throw new FormatException($"codec 'blosc': unknown shuffle '{name}' (one of {string.Join(", ", ShuffleNames)})");
        return (BloscShuffleMode)i;
    }

    /// <summary>The item size a chunk's type gives the shuffles (1 for variable-length types).</summary>
    private static int ItemSizeOf(ChunkSpec spec) => spec.DataType.IsFixedSize && spec.DataType.ItemSize > 0 ? spec.DataType.ItemSize : 1;

    /// <summary>Builds the codec from its v3 configuration; an absent typesize is the chunk's item size.</summary>
    /// <param name="configuration">The "configuration" object.</param>
    /// <param name="spec">The chunk the codec sees.</param>
    public static BloscCodec FromV3Configuration(JsonObject? configuration, ChunkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int typeSize = CodecRegistry.Int(configuration, "typesize", ItemSizeOf(spec));
        var cname = ParseCompressor(String(configuration, "cname") ?? "zstd");
        int level = CodecRegistry.Int(configuration, "clevel", 5);
        BloscShuffleMode shuffle;
        var s = configuration?["shuffle"];
        if (s is null) shuffle = typeSize == 1 ? BloscShuffleMode.BitShuffle : BloscShuffleMode.Shuffle;
        else if (s.GetValueKind() == JsonValueKind.String) shuffle = ParseShuffle(s.GetValue<string>());
        else shuffle = ShuffleFromNumber(CodecRegistry.Int(configuration, "shuffle", 1), typeSize, out _);
        return new BloscCodec(cname, level, shuffle, typeSize, CodecRegistry.Int(configuration, "blocksize", 0));
    }

    /// <summary>Builds the codec from numcodecs' configuration; the typesize is the chunk's item size, as numcodecs takes it from the array.</summary>
    /// <param name="configuration">The numcodecs object.</param>
    /// <param name="spec">The chunk the codec sees.</param>
    public static BloscCodec FromV2Configuration(JsonObject? configuration, ChunkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int typeSize = ItemSizeOf(spec);
        var shuffle = ShuffleFromNumber(CodecRegistry.Int(configuration, "shuffle", 1), typeSize, out bool auto);
        return new BloscCodec(ParseCompressor(String(configuration, "cname") ?? "lz4"), CodecRegistry.Int(configuration, "clevel", 5), shuffle, typeSize, CodecRegistry.Int(configuration, "blocksize", 0))
        {
            AutoShuffle = auto,
        };
    }

    private static BloscShuffleMode ShuffleFromNumber(int value, int typeSize, out bool auto)
    {
        auto = value == -1;
        return value switch
        {
            -1 => typeSize == 1 ? BloscShuffleMode.BitShuffle : BloscShuffleMode.Shuffle, // numcodecs' AUTOSHUFFLE
            0 or 1 or 2 => (BloscShuffleMode)value,
            _ => throw new FormatException($"codec 'blosc': shuffle must be -1, 0, 1 or 2, got {value}"),
        };
    }

    private static string? String(JsonObject? c, string name)
    {
        var n = c?[name];
        if (n is null) return null;
        if (n.GetValueKind() != JsonValueKind.String) throw new FormatException($"configuration field '{name}' must be a string, got {n.ToJsonString()}");
        return n.GetValue<string>();
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject
        {
            ["typesize"] = TypeSize,
            ["cname"] = CompressorName,
            ["clevel"] = Level,
            ["shuffle"] = ShuffleNames[(int)Shuffle],
            ["blocksize"] = BlockSize,
        },
    };

    /// <summary>numcodecs' form: <c>{"id": "blosc", "cname", "clevel", "shuffle": -1..2, "blocksize"}</c>.</summary>
    public JsonObject ToV2Json() => new()
    {
        ["id"] = "blosc",
        ["cname"] = CompressorName,
        ["clevel"] = Level,
        ["shuffle"] = AutoShuffle ? -1 : (int)Shuffle,
        ["blocksize"] = BlockSize,
    };

    /// <inheritdoc />
    public PooledBuffer Encode(ReadOnlySpan<byte> decoded) => BloscEncoder.Encode(decoded, Compressor, Level, Shuffle, TypeSize, BlockSize);

    /// <inheritdoc />
    public PooledBuffer Decode(ReadOnlySpan<byte> encoded, int? expectedLength)
    {
        int length = expectedLength ?? BloscFrame.Read(encoded, null).NBytes;
        if (expectedLength is null && length > DeflateCodecBase.MaxUnboundedDecodedLength)
            throw BloscFrame.Error($"the header claims {length} decoded bytes, more than the {DeflateCodecBase.MaxUnboundedDecodedLength} allowed without an expected size");
        var b = new PooledBuffer(length);
        try
        {
            DecodeInto(encoded, b.Span);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<byte> destination) => BloscDecoder.Decode(encoded, destination, MaxDegreeOfParallelism);
}
