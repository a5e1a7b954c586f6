using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Categorize</c> filter (v2 id "categorize", v3 name "numcodecs.categorize"), array → array: strings
/// become integers, 1 + the index of their label (the last, if a label repeats), and 0 for any other string (or a
/// null); decoding turns 0 and unknown codes into "". The strings are variable-length (<c>|O</c>, NumPy objects) or
/// fixed-length unicode (<c>&lt;U5</c>). Reference: https://numcodecs.readthedocs.io/en/stable/filter/categorize.html
/// </summary>
public sealed class CategorizeCodec : IArrayToArrayCodec, IV2TypedFilter
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

    /// <summary>Creates the codec.</summary>
    /// <param name="labels">The category labels.</param>
    /// <param name="dataType">The decoded type: <see cref="ZarrDataType.String"/> or a fixed-length unicode type.</param>
    /// <param name="encodedDataType">The stored integer type; null for uint8.</param>
    public CategorizeCodec(IReadOnlyList<string> labels, ZarrDataType dataType, ZarrDataType? encodedDataType = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(dataType);
        if (dataType.Kind is not (DataTypeKind.String or DataTypeKind.FixedUnicode))
            throw new FormatException($"codec 'categorize': only unicode ('U') and object ('O') dtypes are supported, got {dataType}");
        encodedDataType ??= ZarrDataType.UInt8;
        if (encodedDataType.Kind is not (DataTypeKind.Int or DataTypeKind.UInt))
            throw new FormatException($"codec 'categorize': astype must be an integer type, got {encodedDataType}");
        Labels = labels.ToArray();
        DataType = dataType;
        EncodedDataType = encodedDataType;
        for (int i = 0; i < Labels.Count; i++) _codes[Labels[i] ?? throw new ArgumentException("A label is null.", nameof(labels))] = i + 1;
    }

    /// <summary>The labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The decoded type.</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The encoded type, as configured (with its byte order).</summary>
    public ZarrDataType EncodedDataType { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.categorize";

    /// <inheritdoc />
    public bool? InputBigEndian => DataType.Kind == DataTypeKind.FixedUnicode ? DataType.BigEndian : null;

    /// <inheritdoc />
    public bool? OutputBigEndian => NumpyTypes.ByteOrderOf(EncodedDataType);

    /// <summary>Builds the codec from its numcodecs configuration (labels, dtype, optional astype).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static CategorizeCodec FromConfiguration(JsonObject? configuration, ChunkSpec decodedSpec)
    {
        const string name = "categorize";
        if (configuration?["labels"] is not JsonArray labels || labels.Any(l => l?.GetValueKind() != JsonValueKind.String))
            throw new FormatException("codec 'categorize': configuration field 'labels' must be a list of strings");
        var codec = new CategorizeCodec(
            labels.Select(l => l!.GetValue<string>()).ToArray(),
            FilterChecks.DataType(configuration, "dtype", name),
            FilterChecks.DataType(configuration, "astype", name, ZarrDataType.UInt8));
        FilterChecks.FitsAtBuild(decodedSpec, codec.DataType, name);
        return codec;
    }

    private JsonObject Config(JsonObject o, bool? bigEndian)
    {
        o["labels"] = new JsonArray(Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray());
        o["dtype"] = bigEndian is { } b ? NumpyTypes.ToV2String(DataType, b) : DataType.ToV2String();
        o["astype"] = bigEndian is { } b2 ? NumpyTypes.ToV2String(EncodedDataType, b2) : EncodedDataType.ToV2String();
        return o;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = Config([], false) };

    /// <inheritdoc />
    public JsonObject ToV2Json() => Config(new JsonObject { ["id"] = "categorize" }, null);

    /// <inheritdoc />
    public JsonObject ToV2Json(bool bigEndian) => Config(new JsonObject { ["id"] = "categorize" }, bigEndian);

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        FilterChecks.Fits(decoded, DataType, Name);
        return FilterChecks.WithType(decoded, EncodedDataType.AsLittleEndian());
    }

    private int CodeOf(string? s) => s is not null && _codes.TryGetValue(s, out var c) ? c : 0;

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        FilterChecks.Fits(decodedSpec, DataType, Name);
        int n = checked((int)decodedSpec.ElementCount);
        using var codes = new PooledBuffer(checked(n * 8));
        var c = MemoryMarshal.Cast<byte, long>(codes.Span);
        if (decoded.Strings is { } strings)
        {
            if (strings.Length < n) throw new ZarrCodecException(null, Name, $"the chunk has {strings.Length} strings, expected {n}");
            for (int i = 0; i < n; i++) c[i] = CodeOf(strings[i]);
        }
        else
        {
            int width = decodedSpec.DataType.ItemSize;
            var bytes = FilterChecks.Bytes(decoded, n * width, Name);
            for (int i = 0; i < n; i++) c[i] = CodeOf(Utf32(bytes.Slice(i * width, width)));
        }
        return ChunkData.FromBytes(NumpyMath.Convert(codes.Span, ZarrDataType.Int64, EncodedDataType.AsLittleEndian(), n));
    }

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec)
    {
        var astype = EncodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        using var codes = NumpyMath.Convert(FilterChecks.Bytes(encoded, n * astype.ItemSize, Name), astype, ZarrDataType.Int64, n);
        var c = MemoryMarshal.Cast<byte, long>(codes.Span);
        if (decodedSpec.DataType.Kind == DataTypeKind.String)
        {
            var strings = new string?[n];
            for (int i = 0; i < n; i++) strings[i] = c[i] >= 1 && c[i] <= Labels.Count ? Labels[(int)c[i] - 1] : "";
            return ChunkData.FromStrings(strings);
        }
        int width = decodedSpec.DataType.ItemSize;
        var result = new PooledBuffer(checked(n * width));
        var output = result.Span;
        output.Clear();
        var encodedLabels = Labels.Select(l => ToUtf32(l, width)).ToArray();
        for (int i = 0; i < n; i++)
            if (c[i] >= 1 && c[i] <= Labels.Count) encodedLabels[(int)c[i] - 1].CopyTo(output.Slice(i * width, width));
        return ChunkData.FromBytes(result);
    }

    // A fixed-length unicode element as NumPy compares it: UTF-32LE code points, trailing NULs dropped.
    private static string Utf32(ReadOnlySpan<byte> element)
    {
        int length = element.Length / 4;
        while (length > 0 && BinaryPrimitives.ReadInt32LittleEndian(element[((length - 1) * 4)..]) == 0) length--;
        var sb = new StringBuilder(length);
        for (int k = 0; k < length; k++)
        {
            int cp = BinaryPrimitives.ReadInt32LittleEndian(element[(k * 4)..]);
            if (Rune.IsValid(cp)) sb.Append(new Rune(cp).ToString());
            else sb.Append('\uFFFD');
        }
        return sb.ToString();
    }

    // A label as a fixed-length unicode element, cut to the width as NumPy's assignment cuts it.
    private static byte[] ToUtf32(string label, int width)
    {
        var bytes = new byte[width];
        int k = 0;
        foreach (var r in label.EnumerateRunes())
        {
            if ((k + 1) * 4 > width) break;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(k * 4), r.Value);
            k++;
        }
        return bytes;
    }
}
