using System.Text.Json.Nodes;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Arrays;

/// <summary>What a new array is: shape, chunks, type, fill value, codecs and format.</summary>
public sealed class ZarrArrayDefinition
{
    /// <summary>The shape.</summary>
    public required long[] Shape { get; init; }

    /// <summary>The chunk shape; null picks one of about 1 MiB per chunk.</summary>
    public int[]? ChunkShape { get; init; }

    /// <summary>The element type.</summary>
    public required ZarrDataType DataType { get; init; }

    /// <summary>The fill value as a .NET value (null: zero, false or "").</summary>
    public object? FillValue { get; init; }

    private int? _zarrFormat;

    /// <summary>2 or 3 (default 3; <see cref="ZarrGroup.CreateArrayAsync"/> uses the group's format when not set).</summary>
    public int ZarrFormat { get => _zarrFormat ?? 3; init => _zarrFormat = value; }

    /// <summary>True when <see cref="ZarrFormat"/> was set, rather than left at its default.</summary>
    internal bool IsZarrFormatSet => _zarrFormat is not null;

    /// <summary>A copy with another format (every other property as it is: a shallow copy, so none can be left out).</summary>
    internal ZarrArrayDefinition WithZarrFormat(int zarrFormat)
    {
        var copy = (ZarrArrayDefinition)MemberwiseClone();
        copy._zarrFormat = zarrFormat;
        return copy;
    }

    /// <summary>The compressor (default zstd level 0, as zarr-python 3 does); null for none.</summary>
    public IBytesToBytesCodec? Compressor { get; init; } = new ZstdCodec(0);

    /// <summary>
    /// The v2 filters, in encode order: array → array codecs (delta, fixedscaleoffset, ...) applied before
    /// serialisation, then any bytes → bytes filters (shuffle, checksums) applied before the compressor.
    /// </summary>
    public IReadOnlyList<ICodec> Filters { get; init; } = [];

    /// <summary>
    /// v3: store chunks in shards of this shape (a multiple of <see cref="ChunkShape"/> on every axis): one object per
    /// shard holding its inner chunks and an index, read in parts with range requests. Null: no sharding.
    /// </summary>
    public int[]? ShardShape { get; init; }

    /// <summary>v3: the whole codec list, overriding <see cref="Filters"/>, <see cref="Compressor"/> and <see cref="BigEndian"/>.</summary>
    public IReadOnlyList<ICodec>? Codecs { get; init; }

    /// <summary>'C' (default) or 'F': the memory order of chunks (v3 writes it as a transpose codec).</summary>
    public char Order { get; init; } = 'C';

    /// <summary>Store elements big-endian (default false).</summary>
    public bool BigEndian { get; init; }

    /// <summary>The chunk key separator; null for the format's default ('/' in v3, '.' in v2).</summary>
    public char? ChunkKeySeparator { get; init; }

    /// <summary>Attributes.</summary>
    public JsonObject? Attributes { get; init; }

    /// <summary>v3 dimension names.</summary>
    public string?[]? DimensionNames { get; init; }

    /// <summary>Replace an existing node at the path (its keys are deleted); default false (an error).</summary>
    public bool Overwrite { get; init; }

    internal ArrayMetadata ToMetadata()
    {
        var chunks = ChunkShape ?? GuessChunks(Shape, DataType.IsFixedSize ? DataType.ItemSize : 16);
        var fill = Metadata.FillValue.FromObject(FillValue, DataType.AsLittleEndian());
        var codecs = Codecs?.ToList();
        if (codecs is null)
        {
            // Array → array filters, the serialiser for the type they produce, bytes → bytes filters, the compressor.
            var spec = new ChunkSpec(chunks, DataType.AsLittleEndian(), fill);
            codecs = [];
            foreach (var f in Filters)
            {
                if (f is IArrayToArrayCodec a)
                {
                    if (codecs.Count > 0 && codecs[^1] is not IArrayToArrayCodec) throw new ArgumentException($"Filter '{f.Name}' (array to array) follows a bytes to bytes filter.", nameof(Filters));
                    try { spec = a.GetEncodedSpec(spec); }
                    catch (ZarrCodecException e) { throw new ArgumentException($"Filter '{f.Name}' does not fit the array: {e.Detail}", nameof(Filters), e); }
                    codecs.Add(a);
                }
                else if (f is IBytesToBytesCodec)
                {
                    if (codecs.Count == 0 || codecs[^1] is IArrayToArrayCodec) codecs.Add(Serialiser(spec));
                    codecs.Add(f);
                }
                else throw new ArgumentException($"Filter '{f.Name}' is neither array to array nor bytes to bytes.", nameof(Filters));
            }
            if (codecs.Count == 0 || codecs[^1] is IArrayToArrayCodec) codecs.Add(Serialiser(spec));
            if (Compressor is not null) codecs.Add(Compressor);
        }
        else if (ZarrFormat == 2) throw new ArgumentException("Codecs is for v3; for v2 set Filters and Compressor.");
        if (ShardShape is { } shards)
        {
            if (ZarrFormat == 2) throw new ArgumentException("Sharding needs Zarr v3.");
            if (shards.Length != chunks.Length) throw new ArgumentException($"The shard shape has {shards.Length} dimensions, the chunk shape {chunks.Length}.");
            for (int d = 0; d < shards.Length; d++)
                if (shards[d] <= 0 || shards[d] % chunks[d] != 0)
                    throw new ArgumentException($"The shard shape [{string.Join(", ", shards)}] is not a multiple of the chunk shape [{string.Join(", ", chunks)}] (axis {d}).");
            codecs = [new Codecs.Sharding.ShardingCodecDefinition(chunks, codecs)];
            chunks = shards;
        }
        char sep = ChunkKeySeparator ?? (ZarrFormat == 2 ? '.' : '/');
        var cke = new ChunkKeyEncoding(ZarrFormat == 2, sep);
        return ArrayMetadata.Create(ZarrFormat, Shape, chunks, DataType, fill, cke, codecs, Order, Attributes, DimensionNames);
    }

    private ICodec Serialiser(ChunkSpec encoded)
    {
        if (encoded.DataType.Kind == DataTypeKind.String) return new VLenUtf8Codec();
        // The array's byte order (v2 writes it into the dtype, and filters' types follow it).
        return new BytesCodec(encoded.DataType.SwapUnit > 1 || DataType.SwapUnit > 1 ? BigEndian || DataType.BigEndian : null);
    }

    /// <summary>A chunk shape of about 1 MiB: halves the largest axis until the chunk is small enough.</summary>
    /// <param name="shape">The array shape.</param>
    /// <param name="itemSize">Bytes per element.</param>
    public static int[] GuessChunks(long[] shape, int itemSize)
    {
        var c = shape.Select(s => (long)Math.Max(1, Math.Min(s, int.MaxValue))).ToArray();
        const long target = 1 << 20;
        while (c.Aggregate(1L, (a, b) => a * b) * Math.Max(1, itemSize) > target)
        {
            int d = Array.IndexOf(c, c.Max());
            if (c[d] == 1) break;
            c[d] = (c[d] + 1) / 2;
        }
        return c.Select(x => (int)x).ToArray();
    }
}
