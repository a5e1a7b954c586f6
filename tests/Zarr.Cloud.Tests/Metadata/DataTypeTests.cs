using System.Numerics;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Metadata;

public class DataTypeTests
{
    // dtype, kind, item size, big-endian, time unit, time scale, .NET type
    public static TheoryData<string, DataTypeKind, int, bool, string?, int, Type> V2DTypes => new()
    {
        { "|b1", DataTypeKind.Bool, 1, false, null, 1, typeof(bool) },
        { "<i1", DataTypeKind.Int, 1, false, null, 1, typeof(sbyte) },
        { "|u1", DataTypeKind.UInt, 1, false, null, 1, typeof(byte) },
        { ">i2", DataTypeKind.Int, 2, true, null, 1, typeof(short) },
        { "<i4", DataTypeKind.Int, 4, false, null, 1, typeof(int) },
        { ">u4", DataTypeKind.UInt, 4, true, null, 1, typeof(uint) },
        { "<u8", DataTypeKind.UInt, 8, false, null, 1, typeof(ulong) },
        { ">i8", DataTypeKind.Int, 8, true, null, 1, typeof(long) },
        { "<f2", DataTypeKind.Float, 2, false, null, 1, typeof(Half) },
        { "<f4", DataTypeKind.Float, 4, false, null, 1, typeof(float) },
        { ">f8", DataTypeKind.Float, 8, true, null, 1, typeof(double) },
        { "<c8", DataTypeKind.Complex, 8, false, null, 1, typeof(Complex64) },
        { "<c16", DataTypeKind.Complex, 16, false, null, 1, typeof(Complex) },
        { ">c16", DataTypeKind.Complex, 16, true, null, 1, typeof(Complex) },
        { "<M8[ns]", DataTypeKind.DateTime64, 8, false, "ns", 1, typeof(long) },
        { ">M8[D]", DataTypeKind.DateTime64, 8, true, "D", 1, typeof(long) },
        { "<m8[10s]", DataTypeKind.TimeDelta64, 8, false, "s", 10, typeof(long) },
        { "|S7", DataTypeKind.FixedBytes, 7, false, null, 1, typeof(byte[]) },
        { "<U13", DataTypeKind.FixedUnicode, 52, false, null, 1, typeof(string) },
        { ">U5", DataTypeKind.FixedUnicode, 20, true, null, 1, typeof(string) },
    };

    [Theory]
    [MemberData(nameof(V2DTypes))]
    public void ParsesV2DTypes(string dtype, DataTypeKind kind, int itemSize, bool big, string? unit, int scale, Type clr)
    {
        var t = MetadataDocs.ParseV2(MetadataDocs.V2Array(dtype, fill: "null")).DataType;
        Assert.Equal(kind, t.Kind);
        Assert.Equal(itemSize, t.ItemSize);
        Assert.Equal(big, t.BigEndian);
        Assert.Equal(unit, t.TimeUnit);
        Assert.Equal(scale, t.TimeScale);
        Assert.Equal(clr, t.ClrType);
        // Written back in NumPy's canonical form ('|' for types without a byte order), which parses to the same type.
        var written = t.ToV2String();
        Assert.Equal(t, ZarrDataType.ParseV2(JsonValue.Create(written), "k"));
        if (t.SwapUnit > 1) Assert.Equal(dtype, written);
    }

    [Theory]
    [InlineData("<i1", "|i1")]
    [InlineData("|u1", "|u1")]
    [InlineData("|S7", "|S7")]
    [InlineData("<b1", "|b1")]
    public void SingleByteTypesAreWrittenWithoutByteOrder(string dtype, string written) =>
        Assert.Equal(written, ZarrDataType.ParseV2(JsonValue.Create(dtype), "k").ToV2String());

    [Fact]
    public void ObjectDTypeWithVLenUtf8IsAString()
    {
        var t = MetadataDocs.ParseV2(MetadataDocs.V2Array("|O", "\"\"", """[{"id":"vlen-utf8"}]""")).DataType;
        Assert.Equal(DataTypeKind.String, t.Kind);
        Assert.Equal(typeof(string), t.ClrType);
        Assert.False(t.IsFixedSize);
        Assert.Equal("|O", t.ToV2String());
    }

    public static TheoryData<string, DataTypeKind, int, Type> V3Names => new()
    {
        { "bool", DataTypeKind.Bool, 1, typeof(bool) },
        { "int8", DataTypeKind.Int, 1, typeof(sbyte) },
        { "int16", DataTypeKind.Int, 2, typeof(short) },
        { "int32", DataTypeKind.Int, 4, typeof(int) },
        { "int64", DataTypeKind.Int, 8, typeof(long) },
        { "uint8", DataTypeKind.UInt, 1, typeof(byte) },
        { "uint16", DataTypeKind.UInt, 2, typeof(ushort) },
        { "uint32", DataTypeKind.UInt, 4, typeof(uint) },
        { "uint64", DataTypeKind.UInt, 8, typeof(ulong) },
        { "float16", DataTypeKind.Float, 2, typeof(Half) },
        { "float32", DataTypeKind.Float, 4, typeof(float) },
        { "float64", DataTypeKind.Float, 8, typeof(double) },
        { "complex64", DataTypeKind.Complex, 8, typeof(Complex64) },
        { "complex128", DataTypeKind.Complex, 16, typeof(Complex) },
        { "string", DataTypeKind.String, 0, typeof(string) },
        { "r16", DataTypeKind.FixedBytes, 2, typeof(byte[]) },
        { "r8", DataTypeKind.FixedBytes, 1, typeof(byte[]) },
    };

    [Theory]
    [MemberData(nameof(V3Names))]
    public void ParsesV3Names(string name, DataTypeKind kind, int itemSize, Type clr)
    {
        var t = ZarrDataType.ParseV3(JsonValue.Create(name), "a/zarr.json");
        Assert.Equal(kind, t.Kind);
        Assert.Equal(itemSize, t.ItemSize);
        Assert.Equal(clr, t.ClrType);
        Assert.False(t.BigEndian);
        Assert.Equal($"\"{name}\"", t.ToV3Json().ToJsonString());
    }

    [Fact]
    public void ParsesV3ExtensionTypes()
    {
        var dt = ZarrDataType.ParseV3(JsonNode.Parse("""{"name":"numpy.datetime64","configuration":{"unit":"ns","scale_factor":1}}"""), "k");
        Assert.Equal((DataTypeKind.DateTime64, "ns", 1, 8), (dt.Kind, dt.TimeUnit, dt.TimeScale, dt.ItemSize));
        var td = ZarrDataType.ParseV3(JsonNode.Parse("""{"name":"numpy.timedelta64","configuration":{"unit":"s","scale_factor":10}}"""), "k");
        Assert.Equal((DataTypeKind.TimeDelta64, "s", 10), (td.Kind, td.TimeUnit, td.TimeScale));
        var u = ZarrDataType.ParseV3(JsonNode.Parse("""{"name":"fixed_length_utf32","configuration":{"length_bytes":20}}"""), "k");
        Assert.Equal((DataTypeKind.FixedUnicode, 20), (u.Kind, u.ItemSize));
        Assert.Equal(ZarrDataType.FixedUnicode(5), u);
        foreach (var t in new[] { dt, td, u })
            Assert.Equal(t, ZarrDataType.ParseV3(t.ToV3Json(), "k"));
        Assert.Equal("""{"name":"numpy.datetime64","configuration":{"unit":"ns","scale_factor":1}}""", dt.ToV3Json().ToJsonString());
    }

    [Theory]
    [InlineData("""{"name":"numpy.datetime64"}""")]
    [InlineData("""{"name":"numpy.datetime64","configuration":{"unit":"fortnight"}}""")]
    [InlineData("""{"name":"numpy.datetime64","configuration":{"unit":"s","scale_factor":0}}""")]
    [InlineData("""{"name":"fixed_length_utf32","configuration":{"length_bytes":6}}""")]
    [InlineData("""{"name":"fixed_length_utf32"}""")]
    [InlineData("\"float128\"")]
    [InlineData("\"r12\"")]
    [InlineData("5")]
    [InlineData("""{"configuration":{}}""")]
    public void BadV3DataTypesNameKeyAndField(string json)
    {
        var e = Assert.Throws<ZarrFormatException>(() => ZarrDataType.ParseV3(JsonNode.Parse(json), "g/a/zarr.json"));
        Assert.Equal("g/a/zarr.json", e.Key);
        Assert.Contains("'g/a/zarr.json'", e.Message);
        Assert.Contains("data_type", e.Message);
    }

    [Theory]
    [InlineData("<x4")]
    [InlineData("<i3")]
    [InlineData("<f16")]
    [InlineData("<M8")]
    [InlineData("<M8[fortnight]")]
    [InlineData("float32")]
    [InlineData("")]
    public void BadV2DTypesNameKeyAndField(string dtype)
    {
        var e = Assert.Throws<ZarrFormatException>(() => ZarrDataType.ParseV2(JsonValue.Create(dtype), "a/.zarray"));
        Assert.Contains("'a/.zarray'", e.Message);
        Assert.Contains("dtype", e.Message);
    }

    [Fact]
    public void StructuredV2DTypesAreRefused()
    {
        var e = Assert.Throws<ZarrFormatException>(() => ZarrDataType.ParseV2(JsonNode.Parse("""[["x","<f4"]]"""), "a/.zarray"));
        Assert.Contains("dtype", e.Message);
    }

    [Theory]
    [InlineData("float32", "float32")]
    [InlineData("<f8", "float64")]
    [InlineData(">i2", "int16")]
    [InlineData("datetime64[ns]", "datetime64[ns]")]
    [InlineData("timedelta64[10s]", "timedelta64[10s]")]
    [InlineData("S7", "S7")]
    [InlineData("U13", "U13")]
    [InlineData("string", "string")]
    public void ParsesUserNames(string text, string name) => Assert.Equal(name, ZarrDataType.Parse(text).Name);

    [Fact]
    public void UnknownUserNamesAreArgumentErrors() => Assert.Throws<ArgumentException>(() => ZarrDataType.Parse("float128"));

    [Fact]
    public void ForMapsDotNetTypes()
    {
        Assert.Equal(ZarrDataType.Float32, ZarrDataType.For<float>());
        Assert.Equal(ZarrDataType.Complex64, ZarrDataType.For<Complex64>());
        Assert.Equal(ZarrDataType.Complex128, ZarrDataType.For<Complex>());
        Assert.Equal(ZarrDataType.UInt16, ZarrDataType.For<ushort>());
        Assert.Throws<ArgumentException>(() => ZarrDataType.For<decimal>());
    }

    [Fact]
    public void EqualityIgnoresNothingThatMatters()
    {
        Assert.NotEqual(ZarrDataType.Int32, ZarrDataType.Int32.WithByteOrder(true));
        Assert.Equal(ZarrDataType.Int32, ZarrDataType.Int32.WithByteOrder(true).AsLittleEndian());
        Assert.NotEqual(ZarrDataType.DateTime64("ns"), ZarrDataType.DateTime64("us"));
        Assert.NotEqual(ZarrDataType.DateTime64("s"), ZarrDataType.DateTime64("s", 10));
        Assert.NotEqual(ZarrDataType.DateTime64("s"), ZarrDataType.TimeDelta64("s"));
        Assert.False(ZarrDataType.UInt8.WithByteOrder(true).BigEndian); // one byte has no order
    }
}
