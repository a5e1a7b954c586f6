using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Quantize</c> filter (v2 id "quantize", v3 name "numcodecs.quantize"), array → array, lossy: keeps
/// about <see cref="Digits"/> decimal digits of float data by rounding to a multiple of a power of two
/// (<c>round(x * 2^bits) / 2^bits</c>), then casts to <see cref="EncodedDataType"/>; decoding only casts back.
/// Reference: https://numcodecs.readthedocs.io/en/stable/filter/quantize.html
/// </summary>
public sealed class QuantizeCodec : IArrayToArrayCodec, IV2TypedFilter
{
    private readonly PyScalar _scale;

    /// <summary>Creates the codec.</summary>
    /// <param name="digits">The number of decimal digits to keep.</param>
    /// <param name="dataType">The decoded type (a float type).</param>
    /// <param name="encodedDataType">The stored type (a float type); null for <paramref name="dataType"/>.</param>
    public QuantizeCodec(int digits, ZarrDataType dataType, ZarrDataType? encodedDataType = null)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        encodedDataType ??= dataType;
        if (dataType.Kind != DataTypeKind.Float || encodedDataType.Kind != DataTypeKind.Float)
            throw new FormatException($"codec 'quantize': only float types are supported, got dtype {dataType} and astype {encodedDataType}");
        Digits = digits;
        DataType = dataType;
        EncodedDataType = encodedDataType;
        Bits = BitsFor(digits);
        _scale = PyScalar.FromFloat(Math.Pow(2.0, Bits));
    }

    /// <summary>The decimal digits kept.</summary>
    public int Digits { get; }

    /// <summary>The binary digits kept after the point, as numcodecs derives them from <see cref="Digits"/>.</summary>
    public int Bits { get; }

    /// <summary>The decoded type, as configured (with its byte order).</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The encoded type, as configured (with its byte order).</summary>
    public ZarrDataType EncodedDataType { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.quantize";

    /// <inheritdoc />
    public bool? InputBigEndian => NumpyTypes.ByteOrderOf(DataType);

    /// <inheritdoc />
    public bool? OutputBigEndian => NumpyTypes.ByteOrderOf(EncodedDataType);

    /// <summary>
    /// The power of two numcodecs scales by for <paramref name="digits"/> decimal digits, computed with the same
    /// floating-point steps as Python's <c>math.log(x, base)</c> (log x / log base), so borderline cases agree.
    /// </summary>
    /// <param name="digits">The decimal digits.</param>
    public static int BitsFor(int digits)
    {
        double precision = Math.Pow(10.0, -digits);
        double exp = Math.Log(precision) / Math.Log(10.0);
        double e = exp < 0 ? Math.Floor(exp) : Math.Ceiling(exp);
        return (int)Math.Ceiling(Math.Log(Math.Pow(10.0, -e)) / Math.Log(2.0));
    }

    /// <summary>Builds the codec from its numcodecs configuration (digits, dtype, optional astype).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static QuantizeCodec FromConfiguration(JsonObject? configuration, ChunkSpec decodedSpec)
    {
        const string name = "quantize";
        var digits = CodecRegistry.Int(configuration, "digits", int.MinValue);
        if (digits == int.MinValue) throw new FormatException("codec 'quantize': configuration field 'digits' is required");
        var dtype = FilterChecks.DataType(configuration, "dtype", name);
        var codec = new QuantizeCodec(digits, dtype, FilterChecks.DataType(configuration, "astype", name, dtype));
        FilterChecks.FitsAtBuild(decodedSpec, codec.DataType, name);
        return codec;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject { ["digits"] = Digits, ["dtype"] = DataType.AsLittleEndian().ToV2String(), ["astype"] = EncodedDataType.AsLittleEndian().ToV2String() },
    };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "quantize", ["digits"] = Digits, ["dtype"] = DataType.ToV2String(), ["astype"] = EncodedDataType.ToV2String() };

    /// <inheritdoc />
    public JsonObject ToV2Json(bool bigEndian) => new() { ["id"] = "quantize", ["digits"] = Digits, ["dtype"] = NumpyTypes.ToV2String(DataType, bigEndian), ["astype"] = NumpyTypes.ToV2String(EncodedDataType, bigEndian) };

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        FilterChecks.Fits(decoded, DataType, Name);
        return FilterChecks.WithType(decoded, EncodedDataType.AsLittleEndian());
    }

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        FilterChecks.Fits(decodedSpec, DataType, Name);
        var type = DataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        var buffer = PooledBuffer.CopyOf(FilterChecks.Bytes(decoded, n * type.ItemSize, Name));
        try
        {
            // enc = (np.around(scale * arr) / scale).astype(astype)
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Multiply, _scale);
            NumpyMath.RoundHalfEven(buffer.Span, type);
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Divide, _scale);
            buffer = NumpyMath.CastOwned(buffer, type, EncodedDataType.AsLittleEndian(), n);
            return ChunkData.FromBytes(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec)
    {
        var astype = EncodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        return ChunkData.FromBytes(NumpyMath.Convert(FilterChecks.Bytes(encoded, n * astype.ItemSize, Name), astype, DataType.AsLittleEndian(), n));
    }
}
