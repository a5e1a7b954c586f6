using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>
/// The definition of a copy's destination array: the source's shape, data type, fill value, attributes,
/// filters, byte order and compressor, in the destination format, with the chunks and compressor asked for.
/// </summary>
internal static class CopyDefinition
{
    /// <summary>Derives the destination's definition.</summary>
    /// <param name="source">The source array.</param>
    /// <param name="zarrFormat">The destination format.</param>
    /// <param name="settings">What to change.</param>
    /// <exception cref="UsageException">The chunks do not fit the array, or v2 cannot hold the source's codecs.</exception>
    /// <remarks>
    /// A sharded source stays sharded in v3 when its inner chunks divide the new chunk (shard) shape; otherwise,
    /// and always in v2, the copy is chunked like the shards' inner chunks (or as --chunks says), with their
    /// codecs. --codec replaces the compressor where the compressing happens: inside the shards when sharded.
    /// </remarks>
    public static ZarrArrayDefinition For(ZarrArray source, int zarrFormat, CopySettings settings)
    {
        var m = source.Metadata;
        var pipeline = source.Pipeline;
        var sharding = pipeline.ArrayToBytes as ShardingCodec;
        // The codecs that serialise and compress chunks: a shard's inner ones when sharded.
        var inner = sharding?.InnerPipeline ?? pipeline;
        var where = source.Path.Length == 0 ? "the array" : $"array '{source.Path}'";
        if (settings.ChunkShape is { } asked && asked.Length != m.Rank)
            throw new UsageException($"--chunks has {asked.Length} values, {where} has {m.Rank} dimensions");
        bool keepSharding = zarrFormat == 3 && sharding is not null
            && (settings.ChunkShape is null || settings.ChunkShape.Zip(sharding.InnerChunkShape).All(p => p.First % p.Second == 0));
        var chunks = settings.ChunkShape ?? (keepSharding ? m.ChunkShape : sharding?.InnerChunkShape ?? m.ChunkShape);
        List<IBytesToBytesCodec> compressors = settings.Compressor is { } choice
            ? (choice.Codec is null ? [] : [choice.Codec])
            : inner.BytesToBytes.ToList();
        List<IArrayToArrayCodec> filters = [.. pipeline.ArrayToArray, .. sharding is null ? [] : inner.ArrayToArray];
        var dataType = m.DataType.AsLittleEndian();
        var fill = m.FillValue.IsNull ? null : m.FillValue.ToObject();
        char? separator = zarrFormat == m.ZarrFormat ? m.ChunkKeyEncoding.Separator : null;
        var attributes = source.Attributes;
        var dimensionNames = MoveDimensionNames(attributes, m.DimensionNames, m.Rank, zarrFormat);
        if (settings.ShardShape is not null && zarrFormat != 3)
            throw new UsageException("--shards needs Zarr v3: add --format 3");
        if (zarrFormat == 3)
        {
            ICodec serializer = inner.ArrayToBytes is BytesCodec or VLenUtf8Codec
                ? inner.ArrayToBytes
                : dataType.IsFixedSize ? new BytesCodec(dataType.SwapUnit > 1 ? false : null) : new VLenUtf8Codec();
            if (settings.ShardShape is { } shardShape)
            {
                var innerChunks = settings.ChunkShape ?? sharding?.InnerChunkShape ?? m.ChunkShape;
                if (shardShape.Length != m.Rank)
                    throw new UsageException($"--shards has {shardShape.Length} values, {where} has {m.Rank} dimensions");
                for (int d = 0; d < m.Rank; d++)
                    if (shardShape[d] % innerChunks[d] != 0)
                        throw new UsageException($"--shards {string.Join(",", shardShape)} is not a multiple of the chunk shape {string.Join(",", innerChunks)} (axis {d})");
                return new ZarrArrayDefinition
                {
                    ZarrFormat = 3,
                    Shape = m.Shape,
                    ChunkShape = shardShape,
                    DataType = dataType,
                    FillValue = fill,
                    Codecs = [ShardingCodec.Define(innerChunks, [.. filters, serializer, .. compressors])],
                    ChunkKeySeparator = separator,
                    Attributes = attributes,
                    DimensionNames = dimensionNames,
                };
            }
            List<ICodec> codecs = keepSharding
                ? [.. pipeline.ArrayToArray, ShardingCodec.Define(sharding!.InnerChunkShape, [.. inner.ArrayToArray, serializer, .. compressors], sharding.IndexAtEnd), .. pipeline.BytesToBytes]
                : [.. filters, serializer, .. compressors];
            return new ZarrArrayDefinition
            {
                ZarrFormat = 3,
                Shape = m.Shape,
                ChunkShape = chunks,
                DataType = dataType,
                FillValue = fill,
                Codecs = codecs,
                ChunkKeySeparator = separator,
                Attributes = attributes,
                DimensionNames = dimensionNames,
            };
        }
        // v2: one compressor; filters without transposes (order F says that); checksums are dropped.
        var kept = compressors.Where(c => c is not Crc32cCodec).ToList();
        if (kept.Count > 1)
            throw new UsageException($"{where} has {kept.Count} compressors ({string.Join(", ", kept.Select(c => c.Name))}) and Zarr v2 allows one: choose it with --codec");
        return new ZarrArrayDefinition
        {
            ZarrFormat = 2,
            Shape = m.Shape,
            ChunkShape = chunks,
            DataType = dataType,
            FillValue = fill,
            Filters = filters.Where(c => c is not TransposeCodec).ToList(),
            Compressor = kept.FirstOrDefault(),
            Order = m.ZarrFormat == 2 ? m.Order : 'C',
            BigEndian = inner.ArrayToBytes is BytesCodec { BigEndian: true },
            ChunkKeySeparator = separator,
            Attributes = attributes,
        };
    }

    /// <summary>
    /// The xarray convention for dimension names differs by format: v2 keeps them in the attribute
    /// <c>_ARRAY_DIMENSIONS</c>, v3 in <c>dimension_names</c>. Moves them to where the destination format keeps them
    /// (editing <paramref name="attributes"/>) and returns the v3 names, if any.
    /// </summary>
    private static string?[]? MoveDimensionNames(JsonObject attributes, string?[]? names, int rank, int zarrFormat)
    {
        const string Key = "_ARRAY_DIMENSIONS";
        if (zarrFormat == 3)
        {
            if (names is null && attributes[Key] is JsonArray list && list.Count == rank && list.All(n => n?.GetValueKind() == JsonValueKind.String))
            {
                names = list.Select(n => n!.GetValue<string>()).ToArray();
                attributes.Remove(Key);
            }
            return names;
        }
        if (names is not null && names.All(n => n is not null) && !attributes.ContainsKey(Key))
            attributes[Key] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
        return null;
    }
}
