using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>FixedScaleOffset</c> filter (v2 id "fixedscaleoffset", v3 name "numcodecs.fixedscaleoffset"),
/// array → array: stores <c>round((x - offset) * scale)</c> as <see cref="EncodedDataType"/> and decodes
/// <c>enc / scale + offset</c> back to <see cref="DataType"/>. The arithmetic follows NumPy 1.x exactly as numcodecs
/// runs it, including the types it computes in (an integer offset keeps float32 data in float32, a float one
/// turns integer data into float64), so values round as zarr-python's do.
/// Reference: https://numcodecs.readthedocs.io/en/stable/filter/fixedscaleoffset.html
/// </summary>
public sealed class FixedScaleOffsetCodec : IArrayToArrayCodec, IV2TypedFilter
{
    private readonly PyScalar _offset;
    private readonly PyScalar _scale;

    /// <summary>Creates the codec. Whole numbers count as Python ints, as a Python user would write them.</summary>
    /// <param name="offset">The value subtracted.</param>
    /// <param name="scale">The factor.</param>
    /// <param name="dataType">The decoded type (bool, integer or float).</param>
    /// <param name="encodedDataType">The stored type; null for <paramref name="dataType"/>.</param>
    public FixedScaleOffsetCodec(double offset, double scale, ZarrDataType dataType, ZarrDataType? encodedDataType = null)
        : this(PyScalar.FromDouble(offset), PyScalar.FromDouble(scale), dataType, encodedDataType)
    {
    }

    private FixedScaleOffsetCodec(PyScalar offset, PyScalar scale, ZarrDataType dataType, ZarrDataType? encodedDataType)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        _offset = offset;
        _scale = scale;
        DataType = NumpyTypes.RequireNumeric(dataType, "fixedscaleoffset", "dtype");
        EncodedDataType = NumpyTypes.RequireNumeric(encodedDataType ?? dataType, "fixedscaleoffset", "astype");
    }

    /// <summary>The offset.</summary>
    public double Offset => _offset.Float;

    /// <summary>The scale.</summary>
    public double Scale => _scale.Float;

    /// <summary>The decoded type, as configured (with its byte order).</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The encoded type, as configured (with its byte order).</summary>
    public ZarrDataType EncodedDataType { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.fixedscaleoffset";

    /// <inheritdoc />
    public bool? InputBigEndian => NumpyTypes.ByteOrderOf(DataType);

    /// <inheritdoc />
    public bool? OutputBigEndian => NumpyTypes.ByteOrderOf(EncodedDataType);

    /// <summary>Builds the codec from its numcodecs configuration (offset, scale, dtype, optional astype).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static FixedScaleOffsetCodec FromConfiguration(JsonObject? configuration, ChunkSpec decodedSpec)
    {
        const string name = "fixedscaleoffset";
        var dtype = FilterChecks.DataType(configuration, "dtype", name);
        var codec = new FixedScaleOffsetCodec(
            PyScalar.Parse(configuration?["offset"], name, "offset"),
            PyScalar.Parse(configuration?["scale"], name, "scale"),
            dtype,
            FilterChecks.DataType(configuration, "astype", name, dtype));
        FilterChecks.FitsAtBuild(decodedSpec, codec.DataType, name);
        return codec;
    }

    private JsonObject Config(JsonObject o, bool? bigEndian)
    {
        o["offset"] = _offset.ToJson();
        o["scale"] = _scale.ToJson();
        o["dtype"] = bigEndian is { } b ? NumpyTypes.ToV2String(DataType, b) : DataType.ToV2String();
        o["astype"] = bigEndian is { } b2 ? NumpyTypes.ToV2String(EncodedDataType, b2) : EncodedDataType.ToV2String();
        return o;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = Config([], false) };

    /// <inheritdoc />
    public JsonObject ToV2Json() => Config(new JsonObject { ["id"] = "fixedscaleoffset" }, null);

    /// <inheritdoc />
    public JsonObject ToV2Json(bool bigEndian) => Config(new JsonObject { ["id"] = "fixedscaleoffset" }, bigEndian);

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
            // enc = np.around((arr - offset) * scale).astype(astype)
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Subtract, _offset);
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Multiply, _scale);
            NumpyMath.RoundHalfEven(buffer.Span, type);
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
        var type = EncodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        var buffer = PooledBuffer.CopyOf(FilterChecks.Bytes(encoded, n * type.ItemSize, Name));
        try
        {
            // dec = (enc / scale + offset).astype(dtype)
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Divide, _scale);
            buffer = NumpyMath.Apply(buffer, ref type, n, NumpyMath.Op.Add, _offset);
            buffer = NumpyMath.CastOwned(buffer, type, DataType.AsLittleEndian(), n);
            return ChunkData.FromBytes(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
