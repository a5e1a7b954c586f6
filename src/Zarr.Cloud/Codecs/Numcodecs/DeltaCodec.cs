using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Delta</c> filter (v2 id "delta", v3 name "numcodecs.delta"), array → array: the chunk, flattened,
/// is stored as its first element followed by the differences of neighbours, computed in <see cref="DataType"/>
/// and cast to <see cref="EncodedDataType"/>; decoding is the running sum. Integers wrap as NumPy's do.
/// Reference: https://numcodecs.readthedocs.io/en/stable/filter/delta.html
/// </summary>
public sealed class DeltaCodec : IArrayToArrayCodec, IV2TypedFilter
{
    /// <summary>Creates the codec.</summary>
    /// <param name="dataType">The type of the decoded elements (bool, integer or float).</param>
    /// <param name="encodedDataType">The type of the stored differences; null for <paramref name="dataType"/>.</param>
    public DeltaCodec(ZarrDataType dataType, ZarrDataType? encodedDataType = null)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        DataType = NumpyTypes.RequireNumeric(dataType, "delta", "dtype");
        if (dataType.Kind == DataTypeKind.Bool) throw new FormatException("codec 'delta': NumPy cannot subtract booleans; dtype bool is not supported");
        EncodedDataType = NumpyTypes.RequireNumeric(encodedDataType ?? dataType, "delta", "astype");
    }

    /// <summary>The decoded type, as configured (with its byte order).</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The encoded type, as configured (with its byte order).</summary>
    public ZarrDataType EncodedDataType { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.delta";

    /// <inheritdoc />
    public bool? InputBigEndian => NumpyTypes.ByteOrderOf(DataType);

    /// <inheritdoc />
    public bool? OutputBigEndian => NumpyTypes.ByteOrderOf(EncodedDataType);

    /// <summary>Builds the codec from its numcodecs configuration (dtype, optional astype), checked against the chunk.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static DeltaCodec FromConfiguration(JsonObject? configuration, ChunkSpec decodedSpec)
    {
        var dtype = FilterChecks.DataType(configuration, "dtype", "delta");
        var codec = new DeltaCodec(dtype, FilterChecks.DataType(configuration, "astype", "delta", dtype));
        FilterChecks.FitsAtBuild(decodedSpec, codec.DataType, "delta");
        return codec;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject { ["dtype"] = DataType.AsLittleEndian().ToV2String(), ["astype"] = EncodedDataType.AsLittleEndian().ToV2String() },
    };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "delta", ["dtype"] = DataType.ToV2String(), ["astype"] = EncodedDataType.ToV2String() };

    /// <inheritdoc />
    public JsonObject ToV2Json(bool bigEndian) => new() { ["id"] = "delta", ["dtype"] = NumpyTypes.ToV2String(DataType, bigEndian), ["astype"] = NumpyTypes.ToV2String(EncodedDataType, bigEndian) };

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        FilterChecks.Fits(decoded, DataType, "delta");
        return FilterChecks.WithType(decoded, EncodedDataType.AsLittleEndian());
    }

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        FilterChecks.Fits(decodedSpec, DataType, "delta");
        var dtype = DataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        var buffer = PooledBuffer.CopyOf(FilterChecks.Bytes(decoded, n * dtype.ItemSize, "delta"));
        try
        {
            NumpyMath.Difference(buffer.Span, dtype);
            buffer = NumpyMath.CastOwned(buffer, dtype, EncodedDataType.AsLittleEndian(), n);
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
        var dtype = DataType.AsLittleEndian();
        var astype = EncodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        var input = FilterChecks.Bytes(encoded, n * astype.ItemSize, "delta");
        // np.cumsum(enc, out=dec) sums in the promotion of both types; for integers, summing in the decoded
        // type gives the same bits (wrapping sums agree modulo 2^bits).
        bool integers = dtype.Kind != DataTypeKind.Float && astype.Kind != DataTypeKind.Float;
        var sumType = integers ? dtype : NumpyTypes.Promote(dtype, astype);
        var buffer = NumpyMath.Convert(input, astype, sumType, n);
        try
        {
            NumpyMath.RunningSum(buffer.Span, sumType);
            buffer = NumpyMath.CastOwned(buffer, sumType, dtype, n);
            return ChunkData.FromBytes(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
