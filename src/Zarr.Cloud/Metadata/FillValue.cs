using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Metadata;

/// <summary>
/// The value of elements never written (and of chunks that do not exist). Holds one element in the
/// little-endian layout decoded chunks use, or the text for variable-length strings.
/// </summary>
public sealed class FillValue
{
    private readonly byte[] _bytes;

    private FillValue(ZarrDataType dataType, byte[] bytes, string? text, bool isNull)
    {
        DataType = dataType;
        _bytes = bytes;
        Text = text;
        IsNull = isNull;
    }

    /// <summary>The data type the value belongs to.</summary>
    public ZarrDataType DataType { get; }

    /// <summary>One element, little-endian (empty for variable-length strings).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The text of a string fill value (null for a v2 <c>null</c> fill value of an object array).</summary>
    public string? Text { get; }

    /// <summary>True for a v2 <c>null</c> fill value (elements then read as zero or empty).</summary>
    public bool IsNull { get; }

    /// <summary>True when every byte of the element is zero (a fast path when filling).</summary>
    public bool IsZero => Text is null or "" && _bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>The fill value a type has when none is given: zero, false or "".</summary>
    /// <param name="dataType">The data type.</param>
    public static FillValue Default(ZarrDataType dataType) => new(dataType, new byte[dataType.ItemSize], dataType.Kind == DataTypeKind.String ? "" : null, false);

    /// <summary>The value as the element type <see cref="ZarrDataType.ClrType"/> (boxed).</summary>
    public object? ToObject() => DataType.Kind switch
    {
        DataTypeKind.String => Text,
        DataTypeKind.FixedBytes => ElementCodec.ReadFixedBytes(_bytes),
        DataTypeKind.FixedUnicode => ElementCodec.ReadFixedUnicode(_bytes),
        _ => ElementCodec.ReadScalar(DataType, _bytes),
    };

    /// <summary>Builds a fill value from a .NET value (a number, bool, string, byte[], Half, Complex...).</summary>
    /// <param name="value">The value; null gives <see cref="Default"/>.</param>
    /// <param name="dataType">The data type.</param>
    public static FillValue FromObject(object? value, ZarrDataType dataType)
    {
        if (value is null) return Default(dataType);
        var b = new byte[dataType.ItemSize];
        try
        {
            switch (dataType.Kind)
            {
                case DataTypeKind.String:
                    return new FillValue(dataType, [], Convert.ToString(value, CultureInfo.InvariantCulture), false);
                case DataTypeKind.FixedBytes:
                    var bytes = value as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                    if (bytes.Length > b.Length) throw new ArgumentException($"The fill value has {bytes.Length} bytes, more than the type's {b.Length}.");
                    bytes.CopyTo(b, 0);
                    break;
                case DataTypeKind.FixedUnicode:
                    ElementCodec.WriteFixedUnicode(Convert.ToString(value, CultureInfo.InvariantCulture)!, b);
                    break;
                default:
                    ElementCodec.WriteScalar(dataType, value, b);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"The fill value {value} cannot be stored as {dataType}: {e.Message}", nameof(value), e);
        }
        return new FillValue(dataType, b, null, false);
    }

    /// <summary>Parses the <c>fill_value</c> of v2 or v3 metadata.</summary>
    /// <param name="node">The JSON value.</param>
    /// <param name="dataType">The array's data type.</param>
    /// <param name="zarrFormat">2 or 3.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public static FillValue Parse(JsonNode? node, ZarrDataType dataType, int zarrFormat, string key)
    {
        if (node is null)
        {
            if (zarrFormat == 3) throw new ZarrFormatException(key, "field 'fill_value' must not be null in Zarr v3");
            // v2 null: numbers read as zero; strings as null, as zarr-python reads None.
            return new FillValue(dataType, new byte[dataType.ItemSize], null, true);
        }
        var b = new byte[dataType.ItemSize];
        try
        {
            switch (dataType.Kind)
            {
                case DataTypeKind.Bool:
                    if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) b[0] = node.GetValue<bool>() ? (byte)1 : (byte)0;
                    else if (zarrFormat == 2 && TryInteger(node, out var bi)) b[0] = bi != 0 ? (byte)1 : (byte)0;
                    else throw Bad("a boolean");
                    break;
                case DataTypeKind.Int:
                case DataTypeKind.UInt:
                case DataTypeKind.DateTime64:
                case DataTypeKind.TimeDelta64:
                    if (node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == "NaT" && dataType.Kind is DataTypeKind.DateTime64 or DataTypeKind.TimeDelta64)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(b, long.MinValue);
                        break;
                    }
                    if (node.GetValueKind() == JsonValueKind.String && TryHex(node.GetValue<string>(), b)) break;
                    if (node.GetValueKind() != JsonValueKind.Number) throw Bad("an integer");
                    var raw = node.ToJsonString();
                    if (dataType.Kind == DataTypeKind.UInt)
                    {
                        if (!ulong.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) && !TryIntegralDouble(raw, out u)) throw Bad("a non-negative integer");
                        ElementCodec.WriteScalar(dataType, u, b);
                    }
                    else
                    {
                        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                        {
                            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var dl) || dl != Math.Floor(dl) || Math.Abs(dl) > 9.2e18) throw Bad("an integer");
                            l = (long)dl;
                        }
                        ElementCodec.WriteScalar(dataType, l, b);
                    }
                    break;
                case DataTypeKind.Float:
                    WriteFloat(node, dataType.ItemSize, b);
                    break;
                case DataTypeKind.Complex:
                    if (node is not JsonArray { Count: 2 } pair) throw Bad("a [real, imaginary] pair");
                    int half = dataType.ItemSize / 2;
                    WriteFloat(pair[0], half, b.AsSpan(0, half));
                    WriteFloat(pair[1], half, b.AsSpan(half));
                    break;
                case DataTypeKind.FixedBytes:
                    if (node.GetValueKind() == JsonValueKind.Number && TryInteger(node, out var z) && z == 0) break;
                    if (node.GetValueKind() == JsonValueKind.Array)
                    {
                        var arr = node.AsArray();
                        if (arr.Count > b.Length) throw Bad($"at most {b.Length} bytes");
                        for (int i = 0; i < arr.Count; i++) b[i] = arr[i]!.GetValue<byte>();
                        break;
                    }
                    if (node.GetValueKind() != JsonValueKind.String) throw Bad("a base64 string");
                    var s = node.GetValue<string>();
                    byte[] decoded;
                    if (zarrFormat == 2) decoded = Convert.FromBase64String(s);
                    else
                    {
                        try { decoded = Convert.FromBase64String(s); }
                        catch (FormatException) { decoded = Encoding.UTF8.GetBytes(s); }
                    }
                    if (decoded.Length > b.Length) throw Bad($"at most {b.Length} bytes");
                    decoded.CopyTo(b, 0);
                    break;
                case DataTypeKind.FixedUnicode:
                    if (node.GetValueKind() == JsonValueKind.Number && TryInteger(node, out var zu) && zu == 0) break;
                    if (node.GetValueKind() != JsonValueKind.String) throw Bad("a string");
                    ElementCodec.WriteFixedUnicode(node.GetValue<string>(), b);
                    break;
                case DataTypeKind.String:
                    if (node.GetValueKind() == JsonValueKind.String) return new FillValue(dataType, [], node.GetValue<string>(), false);
                    if (zarrFormat == 2 && TryInteger(node, out var zs) && zs == 0) return new FillValue(dataType, [], "", false);
                    throw Bad("a string");
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or ArgumentException && e is not ZarrFormatException)
        {
            throw new ZarrFormatException(key, $"field 'fill_value' {ZarrDataType.Describe(node)} is not a valid {dataType}: {e.Message}", e);
        }
        return new FillValue(dataType, b, null, false);

        ZarrFormatException Bad(string expected) => new(key, $"field 'fill_value' must be {expected} for data type {dataType}, got {ZarrDataType.Describe(node)}");
    }

    private static bool TryInteger(JsonNode node, out long value)
    {
        value = 0;
        return node.GetValueKind() == JsonValueKind.Number && long.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryIntegralDouble(string raw, out ulong value)
    {
        value = 0;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0 || d != Math.Floor(d) || d > 1.8e19) return false;
        value = (ulong)d;
        return true;
    }

    private static bool TryHex(string s, Span<byte> destination)
    {
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        if (s.Length - 2 != destination.Length * 2 || !ulong.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bits))
            throw new FormatException($"the hex bit pattern '{s}' must have exactly {destination.Length * 2} hex digits");
        for (int i = 0; i < destination.Length; i++) destination[i] = (byte)(bits >> (8 * i));
        return true;
    }

    private static void WriteFloat(JsonNode? node, int size, Span<byte> destination)
    {
        double d;
        if (node is null) throw new FormatException("a float must not be null");
        if (node.GetValueKind() == JsonValueKind.String)
        {
            var s = node.GetValue<string>();
            if (TryHex(s, destination)) return;
            d = s switch
            {
                "NaN" => ElementCodec.CanonicalNaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => throw new FormatException($"'{s}' is not NaN, Infinity, -Infinity or a 0x bit pattern"),
            };
        }
        else if (node.GetValueKind() == JsonValueKind.Number) d = node.GetValue<double>();
        else throw new FormatException("a float must be a number or a string");
        switch (size)
        {
            case 2: BinaryPrimitives.WriteHalfLittleEndian(destination, (Half)d); break;
            case 4: BinaryPrimitives.WriteSingleLittleEndian(destination, (float)d); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(destination, d); break;
        }
    }

    /// <summary>The <c>fill_value</c> JSON for metadata of format <paramref name="zarrFormat"/>.</summary>
    /// <param name="zarrFormat">2 or 3.</param>
    public JsonNode? ToJson(int zarrFormat)
    {
        if (IsNull && zarrFormat == 2) return null;
        switch (DataType.Kind)
        {
            case DataTypeKind.String: return JsonValue.Create(Text ?? "");
            case DataTypeKind.Bool: return JsonValue.Create(_bytes[0] != 0);
            case DataTypeKind.Int:
            case DataTypeKind.DateTime64:
            case DataTypeKind.TimeDelta64:
                return JsonValue.Create(Convert.ToInt64(ElementCodec.ReadScalar(DataType.AsLittleEndian(), _bytes), CultureInfo.InvariantCulture));
            case DataTypeKind.UInt: return JsonValue.Create(Convert.ToUInt64(ElementCodec.ReadScalar(DataType.AsLittleEndian(), _bytes), CultureInfo.InvariantCulture));
            case DataTypeKind.Float: return FloatJson(_bytes, zarrFormat);
            case DataTypeKind.Complex:
                int half = DataType.ItemSize / 2;
                return new JsonArray(FloatJson(_bytes.AsSpan(0, half), zarrFormat), FloatJson(_bytes.AsSpan(half), zarrFormat));
            case DataTypeKind.FixedBytes:
                return JsonValue.Create(Convert.ToBase64String(_bytes));
            default:
                return JsonValue.Create(ElementCodec.ReadFixedUnicode(_bytes));
        }
    }

    private static JsonNode FloatJson(ReadOnlySpan<byte> b, int zarrFormat)
    {
        double d = b.Length switch
        {
            2 => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
            4 => BinaryPrimitives.ReadSingleLittleEndian(b),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
        };
        // In v3 a NaN other than Zarr's canonical one keeps its payload and sign as a hex bit pattern (v2 has no such form).
        if (double.IsNaN(d)) return JsonValue.Create(zarrFormat == 2 || ElementCodec.IsCanonicalNaN(b) ? "NaN" : HexBits(b));
        if (double.IsPositiveInfinity(d)) return JsonValue.Create("Infinity");
        if (double.IsNegativeInfinity(d)) return JsonValue.Create("-Infinity");
        if (b.Length == 4) return JsonValue.Create(BinaryPrimitives.ReadSingleLittleEndian(b));
        return JsonValue.Create(d);
    }

    private static string HexBits(ReadOnlySpan<byte> littleEndian)
    {
        var sb = new StringBuilder("0x", 2 + littleEndian.Length * 2);
        for (int i = littleEndian.Length - 1; i >= 0; i--) sb.Append(littleEndian[i].ToString("x2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => IsNull ? "null" : ToJson(3)?.ToJsonString() ?? "null";
}
