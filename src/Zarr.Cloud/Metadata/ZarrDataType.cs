using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Metadata;

/// <summary>
/// The type of one array element, for both formats: its family, size, byte order (v2 dtypes name one;
/// v3 leaves it to the bytes codec) and, for datetimes, the unit. Decoded chunks hold elements in
/// little-endian order; <see cref="ClrType"/> is the .NET type to read them as.
/// </summary>
public sealed partial class ZarrDataType : IEquatable<ZarrDataType>
{
    private static readonly string[] TimeUnits = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as", "generic"];

    private ZarrDataType(DataTypeKind kind, int itemSize, bool bigEndian = false, string? timeUnit = null, int timeScale = 1, string? v3Name = null)
    {
        Kind = kind;
        ItemSize = itemSize;
        BigEndian = bigEndian && SwapUnitOf(kind, itemSize) > 1;
        TimeUnit = timeUnit;
        TimeScale = timeScale;
        V3NameOverride = v3Name;
    }

    /// <summary>The family.</summary>
    public DataTypeKind Kind { get; }

    /// <summary>Bytes per element; 0 for variable-length strings.</summary>
    public int ItemSize { get; }

    /// <summary>True when a v2 dtype stores elements big-endian ('&gt;').</summary>
    public bool BigEndian { get; }

    /// <summary>The datetime64/timedelta64 unit ("ns", "s", "D", ...), else null.</summary>
    public string? TimeUnit { get; }

    /// <summary>The multiplier of <see cref="TimeUnit"/> (10 in <c>&lt;M8[10s]</c>).</summary>
    public int TimeScale { get; }

    private string? V3NameOverride { get; }

    /// <summary>True for elements of a fixed size (everything but variable-length strings).</summary>
    public bool IsFixedSize => Kind != DataTypeKind.String;

    /// <summary>The size of the units whose bytes are swapped for big-endian storage (1 when none).</summary>
    public int SwapUnit => SwapUnitOf(Kind, ItemSize);

    private static int SwapUnitOf(DataTypeKind kind, int itemSize) => kind switch
    {
        DataTypeKind.Bool or DataTypeKind.FixedBytes or DataTypeKind.String => 1,
        DataTypeKind.Complex => itemSize / 2,
        DataTypeKind.FixedUnicode => 4,
        _ => itemSize,
    };

    /// <summary>The .NET element type to read and write this type as.</summary>
    public Type ClrType => Kind switch
    {
        DataTypeKind.Bool => typeof(bool),
        DataTypeKind.Int => ItemSize switch { 1 => typeof(sbyte), 2 => typeof(short), 4 => typeof(int), _ => typeof(long) },
        DataTypeKind.UInt => ItemSize switch { 1 => typeof(byte), 2 => typeof(ushort), 4 => typeof(uint), _ => typeof(ulong) },
        DataTypeKind.Float => ItemSize switch { 2 => typeof(Half), 4 => typeof(float), _ => typeof(double) },
        DataTypeKind.Complex => ItemSize == 8 ? typeof(Complex64) : typeof(Complex),
        DataTypeKind.DateTime64 or DataTypeKind.TimeDelta64 => typeof(long),
        DataTypeKind.FixedBytes => typeof(byte[]),
        _ => typeof(string),
    };

    /// <summary>The same type in little-endian order (what decoded chunks hold).</summary>
    public ZarrDataType AsLittleEndian() => BigEndian ? new ZarrDataType(Kind, ItemSize, false, TimeUnit, TimeScale, V3NameOverride) : this;

    /// <summary>The same type stored big- or little-endian.</summary>
    /// <param name="bigEndian">True for big-endian.</param>
    public ZarrDataType WithByteOrder(bool bigEndian) => bigEndian == BigEndian ? this : new ZarrDataType(Kind, ItemSize, bigEndian, TimeUnit, TimeScale, V3NameOverride);

    /// <summary>bool.</summary>
    public static ZarrDataType Bool { get; } = new(DataTypeKind.Bool, 1);
    /// <summary>int8.</summary>
    public static ZarrDataType Int8 { get; } = new(DataTypeKind.Int, 1);
    /// <summary>int16.</summary>
    public static ZarrDataType Int16 { get; } = new(DataTypeKind.Int, 2);
    /// <summary>int32.</summary>
    public static ZarrDataType Int32 { get; } = new(DataTypeKind.Int, 4);
    /// <summary>int64.</summary>
    public static ZarrDataType Int64 { get; } = new(DataTypeKind.Int, 8);
    /// <summary>uint8.</summary>
    public static ZarrDataType UInt8 { get; } = new(DataTypeKind.UInt, 1);
    /// <summary>uint16.</summary>
    public static ZarrDataType UInt16 { get; } = new(DataTypeKind.UInt, 2);
    /// <summary>uint32.</summary>
    public static ZarrDataType UInt32 { get; } = new(DataTypeKind.UInt, 4);
    /// <summary>uint64.</summary>
    public static ZarrDataType UInt64 { get; } = new(DataTypeKind.UInt, 8);
    /// <summary>float16.</summary>
    public static ZarrDataType Float16 { get; } = new(DataTypeKind.Float, 2);
    /// <summary>float32.</summary>
    public static ZarrDataType Float32 { get; } = new(DataTypeKind.Float, 4);
    /// <summary>float64.</summary>
    public static ZarrDataType Float64 { get; } = new(DataTypeKind.Float, 8);
    /// <summary>complex64 (two float32).</summary>
    public static ZarrDataType Complex64 { get; } = new(DataTypeKind.Complex, 8);
    /// <summary>complex128 (two float64).</summary>
    public static ZarrDataType Complex128 { get; } = new(DataTypeKind.Complex, 16);
    /// <summary>Variable-length UTF-8 strings.</summary>
    public static ZarrDataType String { get; } = new(DataTypeKind.String, 0);

    /// <summary>datetime64 with a unit such as "ns" or "D".</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="scale">The multiplier of the unit.</param>
    public static ZarrDataType DateTime64(string unit, int scale = 1) => new(DataTypeKind.DateTime64, 8, false, CheckUnit(unit), scale);

    /// <summary>timedelta64 with a unit such as "ns" or "s".</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="scale">The multiplier of the unit.</param>
    public static ZarrDataType TimeDelta64(string unit, int scale = 1) => new(DataTypeKind.TimeDelta64, 8, false, CheckUnit(unit), scale);

    /// <summary>Fixed-length bytes of <paramref name="length"/> bytes (NumPy <c>|S n</c>).</summary>
    /// <param name="length">The length in bytes.</param>
    public static ZarrDataType FixedBytes(int length) => new(DataTypeKind.FixedBytes, CheckLength(length, 1));

    /// <summary>Fixed-length text of <paramref name="characters"/> UTF-32 code points (NumPy <c>&lt;U n</c>).</summary>
    /// <param name="characters">The length in characters.</param>
    public static ZarrDataType FixedUnicode(int characters) => new(DataTypeKind.FixedUnicode, CheckLength(characters, 4));

    private static int CheckLength(int n, int unit)
    {
        if (n < 0 || n > int.MaxValue / 4 / unit) throw new ArgumentOutOfRangeException(nameof(n), n, "The length must be between 0 and 2^29.");
        return n * unit;
    }

    private static string CheckUnit(string unit)
    {
        if (!TimeUnits.Contains(unit)) throw new ArgumentException($"Unknown datetime unit '{unit}'; expected one of {string.Join(", ", TimeUnits)}.", nameof(unit));
        return unit;
    }

    /// <summary>The data type whose <see cref="ClrType"/> is <typeparamref name="T"/>, for numbers, bool and strings.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    public static ZarrDataType For<T>() => For(typeof(T));

    /// <summary>The data type whose <see cref="ClrType"/> is <paramref name="type"/>.</summary>
    /// <param name="type">The element type.</param>
    public static ZarrDataType For(Type type) => type switch
    {
        _ when type == typeof(bool) => Bool,
        _ when type == typeof(sbyte) => Int8,
        _ when type == typeof(short) => Int16,
        _ when type == typeof(int) => Int32,
        _ when type == typeof(long) => Int64,
        _ when type == typeof(byte) => UInt8,
        _ when type == typeof(ushort) => UInt16,
        _ when type == typeof(uint) => UInt32,
        _ when type == typeof(ulong) => UInt64,
        _ when type == typeof(Half) => Float16,
        _ when type == typeof(float) => Float32,
        _ when type == typeof(double) => Float64,
        _ when type == typeof(Complex64) => Complex64,
        _ when type == typeof(Complex) => Complex128,
        _ when type == typeof(string) => String,
        _ => throw new ArgumentException($"No Zarr data type corresponds to {type}.", nameof(type)),
    };

    /// <summary>
    /// Parses a Zarr v3 data type name (or an extension object with name and configuration), e.g. "float32",
    /// "string", {"name":"numpy.datetime64","configuration":{"unit":"ns","scale_factor":1}}.
    /// </summary>
    /// <param name="node">The <c>data_type</c> value.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public static ZarrDataType ParseV3(JsonNode? node, string key)
    {
        string name;
        JsonObject? config = null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) name = s;
        else if (node is JsonObject o && o["name"] is JsonValue nv && nv.TryGetValue<string>(out var n))
        {
            name = n;
            config = o["configuration"] as JsonObject;
        }
        else throw new ZarrFormatException(key, $"field 'data_type' must be a string or an object with a 'name', got {Describe(node)}");
        switch (name)
        {
            case "bool": return Bool;
            case "int8": return Int8;
            case "int16": return Int16;
            case "int32": return Int32;
            case "int64": return Int64;
            case "uint8": return UInt8;
            case "uint16": return UInt16;
            case "uint32": return UInt32;
            case "uint64": return UInt64;
            case "float16": return Float16;
            case "float32": return Float32;
            case "float64": return Float64;
            case "complex64": return Complex64;
            case "complex128": return Complex128;
            case "string": return String;
            case "numpy.datetime64":
            case "numpy.timedelta64":
            {
                var unit = config?["unit"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? config["unit"]!.GetValue<string>() : null;
                if (unit is null || !TimeUnits.Contains(unit)) throw new ZarrFormatException(key, $"field 'data_type': '{name}' needs configuration.unit, one of {string.Join(", ", TimeUnits)}");
                int scale = 1;
                if (config!["scale_factor"] is JsonValue sf && !(sf.TryGetValue<int>(out scale) && scale > 0))
                    throw new ZarrFormatException(key, $"field 'data_type': '{name}': configuration.scale_factor must be a positive integer");
                return name == "numpy.datetime64" ? DateTime64(unit, scale) : TimeDelta64(unit, scale);
            }
            case "fixed_length_utf32":
            case "null_terminated_bytes":
            case "fixed_length_bytes":
            {
                if (config?["length_bytes"] is not JsonValue lb || !lb.TryGetValue<int>(out var len) || len < 0)
                    throw new ZarrFormatException(key, $"field 'data_type': '{name}' needs configuration.length_bytes, a non-negative integer");
                if (name == "fixed_length_utf32")
                {
                    if (len % 4 != 0) throw new ZarrFormatException(key, $"field 'data_type': '{name}': length_bytes {len} is not a multiple of 4");
                    return new ZarrDataType(DataTypeKind.FixedUnicode, len, v3Name: name);
                }
                return new ZarrDataType(DataTypeKind.FixedBytes, len, v3Name: name);
            }
        }
        var raw = RawBitsRegex().Match(name);
        if (raw.Success && int.TryParse(raw.Groups[1].Value, out var bits) && bits > 0 && bits % 8 == 0)
            return new ZarrDataType(DataTypeKind.FixedBytes, bits / 8, v3Name: name);
        throw new ZarrFormatException(key, $"field 'data_type': '{name}' is not supported");
    }

    /// <summary>
    /// Parses a Zarr v2 dtype string, e.g. "&lt;f4", "|b1", "&gt;i8", "&lt;M8[ns]", "|S7", "&lt;U13", "|O"
    /// (object: needs a vlen-utf8 filter, which the caller checks).
    /// </summary>
    /// <param name="node">The <c>dtype</c> value.</param>
    /// <param name="key">The metadata key, for messages.</param>
    public static ZarrDataType ParseV2(JsonNode? node, string key)
    {
        if (node is JsonArray) throw new ZarrFormatException(key, "structured dtypes (field 'dtype' is a list) are not supported");
        if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) throw new ZarrFormatException(key, $"field 'dtype' must be a string, got {Describe(node)}");
        var m = V2Regex().Match(s);
        if (!m.Success) throw new ZarrFormatException(key, $"dtype '{s}' is not a NumPy type string");
        bool big = m.Groups[1].Value == ">";
        var code = m.Groups[2].Value;
        int size = m.Groups[3].Success && m.Groups[3].Value.Length > 0 ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        var unitPart = m.Groups[4].Success ? m.Groups[4].Value : null;
        ZarrDataType? t = (code, size) switch
        {
            ("b", 1) => Bool,
            ("i", 1) => Int8, ("i", 2) => Int16, ("i", 4) => Int32, ("i", 8) => Int64,
            ("u", 1) => UInt8, ("u", 2) => UInt16, ("u", 4) => UInt32, ("u", 8) => UInt64,
            ("f", 2) => Float16, ("f", 4) => Float32, ("f", 8) => Float64,
            ("c", 8) => Complex64, ("c", 16) => Complex128,
            ("S", >= 0) => FixedBytes(size),
            ("U", >= 0) => FixedUnicode(size),
            ("O", _) => String,
            _ => null,
        };
        if (code is "M" or "m" && size == 8)
        {
            var um = UnitRegex().Match(unitPart ?? "");
            if (unitPart is null || !um.Success || !TimeUnits.Contains(um.Groups[2].Value))
                throw new ZarrFormatException(key, $"dtype '{s}' needs a unit in brackets, e.g. [ns]");
            int scale = um.Groups[1].Value.Length > 0 ? int.Parse(um.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            t = new ZarrDataType(code == "M" ? DataTypeKind.DateTime64 : DataTypeKind.TimeDelta64, 8, false, um.Groups[2].Value, scale);
        }
        if (t is null) throw new ZarrFormatException(key, $"dtype '{s}' is not supported");
        return t.WithByteOrder(big);
    }

    /// <summary>The v2 dtype string, e.g. "&lt;f4".</summary>
    public string ToV2String()
    {
        char order = SwapUnit == 1 ? '|' : BigEndian ? '>' : '<';
        return Kind switch
        {
            DataTypeKind.Bool => "|b1",
            DataTypeKind.Int => $"{order}i{ItemSize}",
            DataTypeKind.UInt => $"{order}u{ItemSize}",
            DataTypeKind.Float => $"{order}f{ItemSize}",
            DataTypeKind.Complex => $"{order}c{ItemSize}",
            DataTypeKind.DateTime64 => $"{order}M8[{UnitString}]",
            DataTypeKind.TimeDelta64 => $"{order}m8[{UnitString}]",
            DataTypeKind.FixedBytes => $"|S{ItemSize}",
            DataTypeKind.FixedUnicode => $"{order}U{ItemSize / 4}",
            _ => "|O",
        };
    }

    private string UnitString => TimeScale == 1 ? TimeUnit! : $"{TimeScale}{TimeUnit}";

    /// <summary>The v3 <c>data_type</c> value: a name, or an extension object for datetimes and fixed-length text.</summary>
    public JsonNode ToV3Json()
    {
        switch (Kind)
        {
            case DataTypeKind.DateTime64:
            case DataTypeKind.TimeDelta64:
                return new JsonObject
                {
                    ["name"] = Kind == DataTypeKind.DateTime64 ? "numpy.datetime64" : "numpy.timedelta64",
                    ["configuration"] = new JsonObject { ["unit"] = TimeUnit, ["scale_factor"] = TimeScale },
                };
            case DataTypeKind.FixedUnicode:
                return new JsonObject { ["name"] = "fixed_length_utf32", ["configuration"] = new JsonObject { ["length_bytes"] = ItemSize } };
            case DataTypeKind.FixedBytes:
                if (V3NameOverride is { } rn && rn.StartsWith('r')) return JsonValue.Create(rn);
                return new JsonObject { ["name"] = V3NameOverride ?? "null_terminated_bytes", ["configuration"] = new JsonObject { ["length_bytes"] = ItemSize } };
            default:
                return JsonValue.Create(Name);
        }
    }

    /// <summary>A short name: "float32", "string", "datetime64[ns]", "S7", "U13".</summary>
    public string Name => Kind switch
    {
        DataTypeKind.Bool => "bool",
        DataTypeKind.Int => $"int{ItemSize * 8}",
        DataTypeKind.UInt => $"uint{ItemSize * 8}",
        DataTypeKind.Float => $"float{ItemSize * 8}",
        DataTypeKind.Complex => $"complex{ItemSize * 8}",
        DataTypeKind.DateTime64 => $"datetime64[{UnitString}]",
        DataTypeKind.TimeDelta64 => $"timedelta64[{UnitString}]",
        DataTypeKind.FixedBytes => $"S{ItemSize}",
        DataTypeKind.FixedUnicode => $"U{ItemSize / 4}",
        _ => "string",
    };

    /// <summary>
    /// Parses a name as the CLI and users write it: a v3 name ("float32", "string"), a NumPy name
    /// ("datetime64[ns]", "S7", "U13") or a v2 dtype string ("&lt;f4").
    /// </summary>
    /// <param name="text">The name.</param>
    public static ZarrDataType Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        try
        {
            if (text[0] is '<' or '>' or '|') return ParseV2(JsonValue.Create(text), "data type");
            var m = NumpyNameRegex().Match(text);
            if (m.Success) return ParseV2(JsonValue.Create((m.Groups[1].Value == "datetime64" ? "<M8" : "<m8") + m.Groups[2].Value), "data type");
            if (text.Length > 1 && text[0] is 'S' or 'U' && char.IsAsciiDigit(text[1])) return ParseV2(JsonValue.Create((text[0] == 'S' ? "|" : "<") + text), "data type");
            return ParseV3(JsonValue.Create(text), "data type");
        }
        catch (ZarrFormatException e)
        {
            throw new ArgumentException($"Unknown data type '{text}': {e.Message}", nameof(text), e);
        }
    }

    /// <inheritdoc />
    public bool Equals(ZarrDataType? other) => other is not null && Kind == other.Kind && ItemSize == other.ItemSize && BigEndian == other.BigEndian && TimeUnit == other.TimeUnit && TimeScale == other.TimeScale;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ZarrDataType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, ItemSize, BigEndian, TimeUnit, TimeScale);

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static string Describe(JsonNode? node) => node is null ? "null" : $"{node.GetValueKind().ToString().ToLowerInvariant()} {Truncate(node.ToJsonString())}";

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";

    [GeneratedRegex(@"^([<>|=]?)([biufcmMSUOV])(\d*)(\[.*\])?$")]
    private static partial Regex V2Regex();

    [GeneratedRegex(@"^\[(\d*)([A-Za-z]+)\]$")]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"^r(\d+)$")]
    private static partial Regex RawBitsRegex();

    [GeneratedRegex(@"^(datetime64|timedelta64)(\[.*\])$")]
    private static partial Regex NumpyNameRegex();
}
