using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>AsType</c> filter (v2 id "astype", v3 name "numcodecs.astype"), array → array: stores the chunk cast
/// to <see cref="EncodedDataType"/> and casts it back to <see cref="DecodedDataType"/>, with NumPy's <c>astype</c>
/// rules (floats to integers truncate toward zero, integers wrap; lossy when the encoded type is narrower).
/// Reference: https://numcodecs.readthedocs.io/en/stable/filter/astype.html
/// </summary>
public sealed class AsTypeCodec : IArrayToArrayCodec, IV2TypedFilter
{
    /// <summary>Creates the codec (arguments in numcodecs' order).</summary>
    /// <param name="encodedDataType">The stored type (bool, integer or float).</param>
    /// <param name="decodedDataType">The array's type (bool, integer or float).</param>
    public AsTypeCodec(ZarrDataType encodedDataType, ZarrDataType decodedDataType)
    {
        ArgumentNullException.ThrowIfNull(encodedDataType);
        ArgumentNullException.ThrowIfNull(decodedDataType);
        EncodedDataType = NumpyTypes.RequireNumeric(encodedDataType, "astype", "encode_dtype");
        DecodedDataType = NumpyTypes.RequireNumeric(decodedDataType, "astype", "decode_dtype");
    }

    /// <summary>The stored type, as configured (with its byte order).</summary>
    public ZarrDataType EncodedDataType { get; }

    /// <summary>The decoded type, as configured (with its byte order).</summary>
    public ZarrDataType DecodedDataType { get; }

    /// <inheritdoc />
    public string Name => "numcodecs.astype";

    /// <inheritdoc />
    public bool? InputBigEndian => NumpyTypes.ByteOrderOf(DecodedDataType);

    /// <inheritdoc />
    public bool? OutputBigEndian => NumpyTypes.ByteOrderOf(EncodedDataType);

    /// <summary>Builds the codec from its numcodecs configuration (encode_dtype, decode_dtype).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="decodedSpec">The chunk the codec will see.</param>
    public static AsTypeCodec FromConfiguration(JsonObject? configuration, ChunkSpec decodedSpec)
    {
        var codec = new AsTypeCodec(FilterChecks.DataType(configuration, "encode_dtype", "astype"), FilterChecks.DataType(configuration, "decode_dtype", "astype"));
        FilterChecks.FitsAtBuild(decodedSpec, codec.DecodedDataType, "astype");
        return codec;
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject { ["encode_dtype"] = EncodedDataType.AsLittleEndian().ToV2String(), ["decode_dtype"] = DecodedDataType.AsLittleEndian().ToV2String() },
    };

    /// <inheritdoc />
    public JsonObject ToV2Json() => new() { ["id"] = "astype", ["encode_dtype"] = EncodedDataType.ToV2String(), ["decode_dtype"] = DecodedDataType.ToV2String() };

    /// <inheritdoc />
    public JsonObject ToV2Json(bool bigEndian) => new() { ["id"] = "astype", ["encode_dtype"] = NumpyTypes.ToV2String(EncodedDataType, bigEndian), ["decode_dtype"] = NumpyTypes.ToV2String(DecodedDataType, bigEndian) };

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        FilterChecks.Fits(decoded, DecodedDataType, Name);
        return FilterChecks.WithType(decoded, EncodedDataType.AsLittleEndian());
    }

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec)
    {
        FilterChecks.Fits(decodedSpec, DecodedDataType, Name);
        var from = DecodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        return ChunkData.FromBytes(NumpyMath.Convert(FilterChecks.Bytes(decoded, n * from.ItemSize, Name), from, EncodedDataType.AsLittleEndian(), n));
    }

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec)
    {
        var from = EncodedDataType.AsLittleEndian();
        int n = checked((int)decodedSpec.ElementCount);
        return ChunkData.FromBytes(NumpyMath.Convert(FilterChecks.Bytes(encoded, n * from.ItemSize, Name), from, DecodedDataType.AsLittleEndian(), n));
    }
}
