using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

public class BytesCodecTests
{
    // The data type and the size of the unit whose bytes a big-endian encoding reverses (by the NumPy rules).
    public static TheoryData<string, int> TypesAndSwapUnits => new()
    {
        { "bool", 1 }, { "int8", 1 }, { "uint8", 1 },
        { "int16", 2 }, { "uint16", 2 }, { "float16", 2 },
        { "int32", 4 }, { "uint32", 4 }, { "float32", 4 },
        { "int64", 8 }, { "uint64", 8 }, { "float64", 8 },
        { "complex64", 4 }, { "complex128", 8 },
        { "datetime64[ns]", 8 }, { "timedelta64[s]", 8 },
        { "S5", 1 }, { "U3", 4 },
    };

    private static byte[] ReverseUnits(byte[] data, int unit)
    {
        var r = (byte[])data.Clone();
        for (int o = 0; o < r.Length; o += unit) Array.Reverse(r, o, unit);
        return r;
    }

    [Theory]
    [MemberData(nameof(TypesAndSwapUnits))]
    public void LittleEndianIsTheDecodedLayout(string typeName, int unit)
    {
        _ = unit;
        var spec = Spec(ZarrDataType.Parse(typeName), 3, 5);
        var data = TestData.RandomBytes(spec.ByteLength);
        var codec = new BytesCodec(bigEndian: false);
        using var chunk = Chunk(data);
        var encoded = codec.Encode(chunk, spec).ToArrayAndDispose();
        Assert.Equal(data, encoded);
        using var decoded = codec.Decode(encoded, spec);
        Assert.Equal(data, decoded.Bytes());
    }

    [Theory]
    [MemberData(nameof(TypesAndSwapUnits))]
    public void BigEndianReversesEachUnit(string typeName, int unit)
    {
        var spec = Spec(ZarrDataType.Parse(typeName), 4, 3);
        var data = TestData.RandomBytes(spec.ByteLength, 7);
        var codec = new BytesCodec(bigEndian: true);
        using var chunk = Chunk(data);
        var encoded = codec.Encode(chunk, spec).ToArrayAndDispose();
        Assert.Equal(ReverseUnits(data, unit), encoded);
        using var decoded = codec.Decode(encoded, spec);
        Assert.Equal(data, decoded.Bytes());
        var into = new byte[spec.ByteLength];
        Assert.True(codec.TryDecodeInto(encoded, spec, into));
        Assert.Equal(data, into);
    }

    [Fact]
    public void BigEndianInt32KnownBytes()
    {
        var spec = Spec(ZarrDataType.Int32, 2);
        var decoded = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(decoded, 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(decoded.AsSpan(4), 0x01020304);
        using var chunk = Chunk(decoded);
        Assert.Equal(Hex("0000000101020304"), new BytesCodec(true).Encode(chunk, spec).ToArrayAndDispose());
    }

    [Fact]
    public void EndiannessIsRequiredForMultiByteTypesOnly()
    {
        var noOrder = new BytesCodec(null);
        var bytesSpec = Spec(ZarrDataType.UInt8, 4);
        using (var c = Chunk([1, 2, 3, 4])) Assert.Equal(new byte[] { 1, 2, 3, 4 }, noOrder.Encode(c, bytesSpec).ToArrayAndDispose());
        var shortSpec = Spec(ZarrDataType.Int16, 2);
        using var c2 = Chunk([1, 2, 3, 4]);
        var e = Assert.Throws<ZarrCodecException>(() => noOrder.Encode(c2, shortSpec).Dispose());
        Assert.Contains("endian", e.Message);
        Assert.Throws<ZarrCodecException>(() => noOrder.Decode(new byte[4], shortSpec).Dispose());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(24)]
    public void DecodedChunkOfTheWrongSizeIsACodecError(int length)
    {
        var spec = Spec(ZarrDataType.Int32, 3); // 12 bytes
        var codec = new BytesCodec(false);
        var e = Assert.Throws<ZarrCodecException>(() => codec.Decode(new byte[length], spec).Dispose());
        Assert.Equal("bytes", e.Codec);
        Assert.Contains("12", e.Message);
        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Throws<ZarrCodecException>(() => codec.TryDecodeInto(new byte[length], spec, new byte[12]));
    }

    [Fact]
    public void VariableLengthStringsAreRefused()
    {
        var spec = Spec(ZarrDataType.String, 2);
        using var chunk = ChunkData.FromStrings(["a", "b"]);
        Assert.Throws<ZarrCodecException>(() => new BytesCodec(false).Encode(chunk, spec).Dispose());
    }

    [Theory]
    [InlineData(null, "{\"name\":\"bytes\"}")]
    [InlineData(false, "{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}")]
    [InlineData(true, "{\"name\":\"bytes\",\"configuration\":{\"endian\":\"big\"}}")]
    public void JsonRoundTrip(bool? big, string json)
    {
        var codec = new BytesCodec(big);
        Assert.Equal(json, codec.ToJson().ToJsonString());
        Assert.Equal(big, BytesCodec.FromConfiguration(codec.ToJson()["configuration"]?.AsObject()).BigEndian);
    }

    [Fact]
    public void UnknownEndiannessIsAFormatError()
    {
        var config = new System.Text.Json.Nodes.JsonObject { ["endian"] = "middle" };
        var e = Assert.Throws<FormatException>(() => BytesCodec.FromConfiguration(config));
        Assert.Contains("middle", e.Message);
    }
}
