using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Codecs;

namespace Zarr.Cloud.Metadata;

/// <summary>
/// The metadata of an array, for either format: v3 <c>zarr.json</c>, or v2 <c>.zarray</c> with <c>.zattrs</c>.
/// Immutable; <see cref="WithShape"/> makes a resized copy.
/// </summary>
public sealed class ArrayMetadata
{
    private static readonly HashSet<string> V3Fields = ["zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs", "attributes", "dimension_names", "storage_transformers"];
    private static readonly HashSet<string> V2Fields = ["zarr_format", "shape", "chunks", "dtype", "compressor", "fill_value", "order", "filters", "dimension_separator"];

    internal ArrayMetadata(int zarrFormat, long[] shape, int[] chunkShape, ZarrDataType dataType, FillValue fillValue, ChunkKeyEncoding chunkKeyEncoding,
        JsonArray? codecs, JsonObject? compressor, JsonArray? filters, char order, JsonObject attributes, string?[]? dimensionNames, JsonObject? extraFields)
    {
        ZarrFormat = zarrFormat;
        Shape = shape;
        ChunkShape = chunkShape;
        DataType = dataType;
        FillValue = fillValue;
        ChunkKeyEncoding = chunkKeyEncoding;
        Codecs = codecs;
        Compressor = compressor;
        Filters = filters;
        Order = order;
        Attributes = attributes;
        DimensionNames = dimensionNames;
        ExtraFields = extraFields;
    }

    /// <summary>2 or 3.</summary>
    public int ZarrFormat { get; }

    /// <summary>The array shape.</summary>
    public long[] Shape { get; }

    /// <summary>The shape of the chunks the store holds (for sharded arrays, the shard shape).</summary>
    public int[] ChunkShape { get; }

    /// <summary>The element type (for v2, with the dtype's byte order).</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The fill value.</summary>
    public FillValue FillValue { get; }

    /// <summary>How chunk coordinates become keys.</summary>
    public ChunkKeyEncoding ChunkKeyEncoding { get; }

    /// <summary>v3: the codecs as written in metadata.</summary>
    public JsonArray? Codecs { get; }

    /// <summary>v2: the compressor, or null.</summary>
    public JsonObject? Compressor { get; }

    /// <summary>v2: the filters, or null.</summary>
    public JsonArray? Filters { get; }

    /// <summary>v2: the memory order of chunks, 'C' or 'F' ('C' for v3).</summary>
    public char Order { get; }

    /// <summary>The user attributes (a copy is kept; change them through the array).</summary>
    public JsonObject Attributes { get; }

    /// <summary>v3: the names of the dimensions, or null.</summary>
    public string?[]? DimensionNames { get; }

    /// <summary>v3: fields this library does not know that declared <c>"must_understand": false</c>, kept on rewrite.</summary>
    public JsonObject? ExtraFields { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Creates metadata for a new array.</summary>
    /// <param name="zarrFormat">2 or 3.</param>
    /// <param name="shape">The shape.</param>
    /// <param name="chunkShape">The chunk shape.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="fillValue">The fill value.</param>
    /// <param name="chunkKeyEncoding">The chunk key encoding (v2: only the separator matters).</param>
    /// <param name="codecs">The codecs in encode order (v2: optional array → array filters, then bytes or vlen-utf8, then bytes → bytes codecs: the last is the compressor, any before it are filters).</param>
    /// <param name="order">v2: 'C' or 'F'.</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="dimensionNames">v3 dimension names, or null.</param>
    public static ArrayMetadata Create(int zarrFormat, long[] shape, int[] chunkShape, ZarrDataType dataType, FillValue fillValue, ChunkKeyEncoding chunkKeyEncoding,
        IReadOnlyList<ICodec> codecs, char order = 'C', JsonObject? attributes = null, string?[]? dimensionNames = null)
    {
        if (zarrFormat is not (2 or 3)) throw new ArgumentOutOfRangeException(nameof(zarrFormat), zarrFormat, "The Zarr format must be 2 or 3.");
        if (shape.Length != chunkShape.Length) throw new ArgumentException($"The shape has {shape.Length} dimensions, the chunk shape {chunkShape.Length}.");
        if (shape.Any(s => s < 0)) throw new ArgumentException("The shape must not be negative.", nameof(shape));
        if (chunkShape.Any(c => c <= 0)) throw new ArgumentException("Every chunk dimension must be positive.", nameof(chunkShape));
        if (dimensionNames is not null && dimensionNames.Length != shape.Length) throw new ArgumentException($"{dimensionNames.Length} dimension names for {shape.Length} dimensions.", nameof(dimensionNames));
        if (order is not ('C' or 'F')) throw new ArgumentException("The order must be 'C' or 'F'.", nameof(order));
        attributes = attributes is null ? [] : (JsonObject)attributes.DeepClone();
        if (zarrFormat == 3)
        {
            var list = new JsonArray();
            foreach (var c in codecs) list.Add(c.ToJson());
            if (order == 'F' && shape.Length > 1) list.Insert(0, TransposeCodec.Fortran(shape.Length).ToJson());
            return new ArrayMetadata(3, (long[])shape.Clone(), (int[])chunkShape.Clone(), dataType.AsLittleEndian(), fillValue, chunkKeyEncoding, list, null, null, 'C', attributes, dimensionNames, null);
        }
        JsonArray? filters = null;
        JsonObject? compressor = null;
        var dt = dataType;
        if (codecs.OfType<BytesCodec>().FirstOrDefault()?.BigEndian is { } bigEndian) dt = dataType.WithByteOrder(bigEndian);
        // v2 has one compressor: the last bytes → bytes codec; any before it (shuffle, checksums) are filters.
        var lastBytesToBytes = codecs.LastOrDefault(c => c is IBytesToBytesCodec);
        foreach (var c in codecs)
        {
            switch (c)
            {
                case BytesCodec:
                    break;
                case VLenUtf8Codec v:
                    (filters ??= []).Add(new JsonObject { ["id"] = "vlen-utf8" });
                    break;
                case IBytesToBytesCodec when ReferenceEquals(c, lastBytesToBytes):
                    compressor = V2Json(c);
                    break;
                case TransposeCodec:
                    throw new ArgumentException("Zarr v2 has no transpose codec; use order 'F'.", nameof(codecs));
                case Codecs.Numcodecs.IV2TypedFilter typed:
                    (filters ??= []).Add(typed.ToV2Json(dt.BigEndian));
                    break;
                default:
                    (filters ??= []).Add(V2Json(c));
                    break;
            }
        }
        return new ArrayMetadata(2, (long[])shape.Clone(), (int[])chunkShape.Clone(), dt, fillValue, new ChunkKeyEncoding(true, chunkKeyEncoding.Separator), null, compressor, filters, order, attributes, null, null);
    }

    private static JsonObject V2Json(ICodec c)
    {
        if (c is IV2Codec v2) return v2.ToV2Json();
        var j = c.ToJson();
        var name = j["name"]!.GetValue<string>();
        var o = new JsonObject { ["id"] = name.StartsWith("numcodecs.", StringComparison.Ordinal) ? name["numcodecs.".Length..] : name };
        if (j["configuration"] is JsonObject conf) foreach (var (k, v) in conf) o[k] = v?.DeepClone();
        return o;
    }

    /// <summary>The same metadata with another shape.</summary>
    /// <param name="shape">The new shape (same rank).</param>
    public ArrayMetadata WithShape(long[] shape)
    {
        if (shape.Length != Rank) throw new ArgumentException($"The new shape has {shape.Length} dimensions, the array {Rank}.", nameof(shape));
        return new ArrayMetadata(ZarrFormat, (long[])shape.Clone(), ChunkShape, DataType, FillValue, ChunkKeyEncoding, Codecs, Compressor, Filters, Order, Attributes, DimensionNames, ExtraFields);
    }

    /// <summary>The same metadata with other attributes.</summary>
    /// <param name="attributes">The attributes.</param>
    public ArrayMetadata WithAttributes(JsonObject attributes) =>
        new(ZarrFormat, Shape, ChunkShape, DataType, FillValue, ChunkKeyEncoding, Codecs, Compressor, Filters, Order, (JsonObject)attributes.DeepClone(), DimensionNames, ExtraFields);

    /// <summary>Parses a v3 <c>zarr.json</c> of an array.</summary>
    /// <param name="node">The document.</param>
    /// <param name="key">Its key, for messages.</param>
    public static ArrayMetadata ParseV3(JsonNode? node, string key)
    {
        var o = MetadataJson.RequireObject(node, key);
        if (MetadataJson.RequireInt(o, "zarr_format", key) != 3) throw new ZarrFormatException(key, $"field 'zarr_format' must be 3, got {o["zarr_format"]!.ToJsonString()}");
        var nodeType = MetadataJson.RequireString(o, "node_type", key);
        if (nodeType != "array") throw new ZarrFormatException(key, $"field 'node_type' is '{nodeType}', expected 'array'");
        var extra = CheckUnknownFields(o, V3Fields, key);
        var shape = MetadataJson.RequireLongArray(o, "shape", key, positive: false);
        var dataType = ZarrDataType.ParseV3(o["data_type"] ?? throw new ZarrFormatException(key, "field 'data_type' is missing"), key);
        var grid = MetadataJson.OptionalObject(o, "chunk_grid", key) ?? throw new ZarrFormatException(key, "field 'chunk_grid' is missing");
        var gridName = MetadataJson.RequireString(grid, "name", key);
        if (gridName != "regular") throw new ZarrFormatException(key, $"chunk_grid '{gridName}' is not supported (only 'regular')");
        var gridConf = MetadataJson.OptionalObject(grid, "configuration", key) ?? throw new ZarrFormatException(key, "field 'chunk_grid.configuration' is missing");
        var chunks = MetadataJson.RequireLongArray(gridConf, "chunk_shape", key, positive: true);
        if (chunks.Length != shape.Length) throw new ZarrFormatException(key, $"chunk_grid.configuration.chunk_shape has {chunks.Length} dimensions, shape has {shape.Length}");
        if (chunks.Any(c => c > int.MaxValue)) throw new ZarrFormatException(key, "field 'chunk_grid.configuration.chunk_shape' has a dimension larger than 2^31-1");
        var cke = ChunkKeyEncoding.ParseV3(o["chunk_key_encoding"] ?? throw new ZarrFormatException(key, "field 'chunk_key_encoding' is missing"), key);
        if (!o.ContainsKey("fill_value")) throw new ZarrFormatException(key, "field 'fill_value' is missing");
        var fill = FillValue.Parse(o["fill_value"], dataType, 3, key);
        if (o["codecs"] is not JsonArray codecs || codecs.Count == 0) throw new ZarrFormatException(key, $"field 'codecs' must be a non-empty list, got {ZarrDataType.Describe(o["codecs"])}");
        if (o["storage_transformers"] is JsonArray { Count: > 0 }) throw new ZarrFormatException(key, "storage_transformers are not supported");
        var attributes = MetadataJson.OptionalObject(o, "attributes", key) ?? [];
        string?[]? names = null;
        if (o["dimension_names"] is JsonArray dn)
        {
            if (dn.Count != shape.Length) throw new ZarrFormatException(key, $"field 'dimension_names' has {dn.Count} entries, shape has {shape.Length}");
            names = dn.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n is null ? null : throw new ZarrFormatException(key, "field 'dimension_names' must hold strings or nulls")).ToArray();
        }
        else if (o["dimension_names"] is not null) throw new ZarrFormatException(key, "field 'dimension_names' must be a list");
        return new ArrayMetadata(3, shape, chunks.Select(c => (int)c).ToArray(), dataType, fill, cke, (JsonArray)codecs.DeepClone(), null, null, 'C', (JsonObject)attributes.DeepClone(), names, extra);
    }

    /// <summary>
    /// Applies the v3 rule on unknown fields: a field this library does not know is an error unless it is an
    /// object with <c>"must_understand": false</c>. Returns those ignorable fields, or null.
    /// </summary>
    internal static JsonObject? CheckUnknownFields(JsonObject o, HashSet<string> known, string key)
    {
        JsonObject? extra = null;
        foreach (var (name, value) in o)
        {
            if (known.Contains(name)) continue;
            if (value is JsonObject ext && ext["must_understand"] is JsonValue mu && mu.TryGetValue<bool>(out var m) && !m)
            {
                (extra ??= [])[name] = ext.DeepClone();
                continue;
            }
            throw new ZarrFormatException(key, $"unknown field '{name}' without \"must_understand\": false");
        }
        return extra;
    }

    /// <summary>Parses a v2 <c>.zarray</c> (and its <c>.zattrs</c>, if any).</summary>
    /// <param name="node">The <c>.zarray</c> document.</param>
    /// <param name="attributes">The <c>.zattrs</c> document, or null.</param>
    /// <param name="key">The <c>.zarray</c> key, for messages.</param>
    public static ArrayMetadata ParseV2(JsonNode? node, JsonNode? attributes, string key)
    {
        var o = MetadataJson.RequireObject(node, key);
        if (MetadataJson.RequireInt(o, "zarr_format", key) != 2) throw new ZarrFormatException(key, $"field 'zarr_format' must be 2, got {o["zarr_format"]!.ToJsonString()}");
        var shape = MetadataJson.RequireLongArray(o, "shape", key, positive: false);
        var chunks = MetadataJson.RequireLongArray(o, "chunks", key, positive: true);
        if (chunks.Length != shape.Length) throw new ZarrFormatException(key, $"field 'chunks' has {chunks.Length} dimensions, 'shape' has {shape.Length}");
        if (chunks.Any(c => c > int.MaxValue)) throw new ZarrFormatException(key, "field 'chunks' has a dimension larger than 2^31-1");
        if (!o.ContainsKey("dtype")) throw new ZarrFormatException(key, "field 'dtype' is missing");
        var dataType = ZarrDataType.ParseV2(o["dtype"], key);
        if (!o.ContainsKey("fill_value")) throw new ZarrFormatException(key, "field 'fill_value' is missing");
        var fill = FillValue.Parse(o["fill_value"], dataType.AsLittleEndian(), 2, key);
        if (!o.ContainsKey("compressor")) throw new ZarrFormatException(key, "field 'compressor' is missing");
        JsonObject? compressor = o["compressor"] switch
        {
            null => null,
            JsonObject c => (JsonObject)c.DeepClone(),
            var other => throw new ZarrFormatException(key, $"field 'compressor' must be an object or null, got {ZarrDataType.Describe(other)}"),
        };
        JsonArray? filters = o["filters"] switch
        {
            null => null,
            JsonArray f => (JsonArray)f.DeepClone(),
            var other => throw new ZarrFormatException(key, $"field 'filters' must be a list or null, got {ZarrDataType.Describe(other)}"),
        };
        var order = MetadataJson.RequireString(o, "order", key);
        if (order is not ("C" or "F")) throw new ZarrFormatException(key, $"field 'order' must be \"C\" or \"F\", got \"{order}\"");
        char sep = '.';
        if (o["dimension_separator"] is { } ds)
        {
            var s = ds.GetValueKind() == JsonValueKind.String ? ds.GetValue<string>() : null;
            if (s is not ("." or "/")) throw new ZarrFormatException(key, $"field 'dimension_separator' must be \".\" or \"/\", got {ds.ToJsonString()}");
            sep = s[0];
        }
        if (dataType.Kind == DataTypeKind.String)
        {
            var ids = filters?.Select(f => f?["id"]?.GetValueKind() == JsonValueKind.String ? f["id"]!.GetValue<string>() : null).ToList() ?? [];
            if (!ids.Contains("vlen-utf8") && !ids.Contains("categorize"))
                throw new ZarrFormatException(key, $"object dtype needs the 'vlen-utf8' (or 'categorize') filter; this array's filters are [{string.Join(", ", ids.Select(i => $"'{i}'"))}] (codecs for Python objects such as 'json2', 'pickle' and 'msgpack2' are not supported)");
        }
        var attrs = attributes is null ? [] : attributes as JsonObject ?? throw new ZarrFormatException(key.Replace(".zarray", ".zattrs", StringComparison.Ordinal), "the document must be a JSON object");
        return new ArrayMetadata(2, shape, chunks.Select(c => (int)c).ToArray(), dataType, fill, new ChunkKeyEncoding(true, sep), null, compressor, filters, order[0], (JsonObject)attrs.DeepClone(), null, null);
    }

    /// <summary>The v3 <c>zarr.json</c> document.</summary>
    public JsonObject ToV3Json()
    {
        if (ZarrFormat != 3) throw new InvalidOperationException("This is v2 metadata; use ToV2Json.");
        var o = new JsonObject
        {
            ["zarr_format"] = 3,
            ["node_type"] = "array",
            ["shape"] = MetadataJson.ToJsonArray(Shape),
            ["data_type"] = DataType.ToV3Json(),
            ["chunk_grid"] = new JsonObject { ["name"] = "regular", ["configuration"] = new JsonObject { ["chunk_shape"] = MetadataJson.ToJsonArray(ChunkShape) } },
            ["chunk_key_encoding"] = ChunkKeyEncoding.ToV3Json(),
            ["fill_value"] = FillValue.ToJson(3),
            ["codecs"] = Codecs!.DeepClone(),
            ["attributes"] = Attributes.DeepClone(),
        };
        if (DimensionNames is not null) o["dimension_names"] = new JsonArray(DimensionNames.Select(n => (JsonNode?)(n is null ? null : JsonValue.Create(n))).ToArray());
        if (ExtraFields is not null) foreach (var (k, v) in ExtraFields) o[k] = v?.DeepClone();
        return o;
    }

    /// <summary>The v2 <c>.zarray</c> document (attributes go to <c>.zattrs</c>).</summary>
    public JsonObject ToV2Json()
    {
        if (ZarrFormat != 2) throw new InvalidOperationException("This is v3 metadata; use ToV3Json.");
        return new JsonObject
        {
            ["chunks"] = MetadataJson.ToJsonArray(ChunkShape),
            ["compressor"] = Compressor?.DeepClone(),
            ["dimension_separator"] = ChunkKeyEncoding.Separator.ToString(),
            ["dtype"] = DataType.ToV2String(),
            ["fill_value"] = FillValue.ToJson(2),
            ["filters"] = Filters?.DeepClone(),
            ["order"] = Order.ToString(),
            ["shape"] = MetadataJson.ToJsonArray(Shape),
            ["zarr_format"] = 2,
        };
    }

    /// <summary>
    /// Builds the codec pipeline for one chunk (whole chunk shape). v2 metadata maps onto v3 codecs:
    /// transpose for order F, the filters, bytes with the dtype's order (or vlen-utf8), then the compressor.
    /// </summary>
    /// <param name="registry">The codecs known.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public CodecPipeline CreatePipeline(CodecRegistry registry, string key)
    {
        var spec = new ChunkSpec(ChunkShape, DataType.AsLittleEndian(), FillValue);
        var a2a = new List<IArrayToArrayCodec>();
        IArrayToBytesCodec? a2b = null;
        var b2b = new List<IBytesToBytesCodec>();
        var current = spec;
        void Add(ICodec? codec, string name)
        {
            switch (codec)
            {
                case null: return;
                case IArrayToArrayCodec x:
                    if (a2b is not null) throw new ZarrFormatException(key, $"codec '{name}' (array to array) follows the array to bytes codec");
                    a2a.Add(x);
                    current = x.GetEncodedSpec(current);
                    break;
                case IArrayToBytesCodec x:
                    if (a2b is not null) throw new ZarrFormatException(key, $"codec '{name}' is a second array to bytes codec");
                    a2b = x;
                    break;
                case IBytesToBytesCodec x:
                    if (a2b is null) throw new ZarrFormatException(key, $"codec '{name}' (bytes to bytes) comes before the array to bytes codec");
                    b2b.Add(x);
                    break;
                default:
                    throw new ZarrFormatException(key, $"codec '{name}' is of no known kind");
            }
        }
        if (ZarrFormat == 3)
        {
            foreach (var c in Codecs!) Add(registry.CreateV3(c, current, key), c?["name"]?.ToString() ?? c?.ToString() ?? "null");
        }
        else
        {
            if (Order == 'F' && Rank > 1) Add(TransposeCodec.Fortran(Rank), "transpose");
            // Filters see the chunk in the byte order it has at that point: the array's, then each typed filter's output.
            bool bigEndian = DataType.BigEndian;
            void Serialise()
            {
                if (current.DataType.Kind == DataTypeKind.String) Add(new VLenUtf8Codec(), "vlen-utf8");
                else Add(new BytesCodec(bigEndian), "bytes");
            }
            foreach (var f in Filters ?? [])
            {
                var id = f?["id"]?.ToString() ?? "?";
                if (id == "vlen-utf8") continue;
                var codec = registry.CreateV2(f, current, key);
                if (codec is IBytesToBytesCodec && a2b is null) Serialise();
                if (codec is Codecs.Numcodecs.IV2TypedFilter typed && a2b is null)
                {
                    if (typed.InputBigEndian is { } input && current.DataType.SwapUnit > 1 && input != bigEndian)
                        throw new ZarrFormatException(key, $"filter '{id}' reads {(input ? "big" : "little")}-endian data where the chunk is {(bigEndian ? "big" : "little")}-endian; reinterpreting bytes in the other order is not supported");
                    if (typed.OutputBigEndian is { } output) bigEndian = output;
                }
                Add(codec, id);
            }
            if (a2b is null) Serialise();
            if (Compressor is not null) Add(registry.CreateV2(Compressor, current, key), Compressor["id"]?.ToString() ?? "?");
        }
        if (a2b is null) throw new ZarrFormatException(key, "the codecs have no array to bytes codec (such as 'bytes')");
        if (current.DataType.Kind == DataTypeKind.String && a2b is BytesCodec) throw new ZarrFormatException(key, "data type 'string' needs the 'vlen-utf8' codec, not 'bytes'");
        if (current.DataType.Kind != DataTypeKind.String && a2b is VLenUtf8Codec) throw new ZarrFormatException(key, $"codec 'vlen-utf8' is for strings, not {current.DataType}");
        try
        {
            return new CodecPipeline(spec, a2a, a2b, b2b);
        }
        catch (ZarrCodecException e)
        {
            throw new ZarrFormatException(key, e.Message, e);
        }
    }
}
