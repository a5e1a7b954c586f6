using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Metadata;

public class FillValueTests
{
    private static FillValue V3(string json, ZarrDataType type) => FillValue.Parse(JsonNode.Parse(json), type, 3, "a/zarr.json");

    private static FillValue V2(string json, ZarrDataType type) => FillValue.Parse(JsonNode.Parse(json), type, 2, "a/.zarray");

    private static uint Bits32(FillValue f) => BinaryPrimitives.ReadUInt32LittleEndian(f.Bytes);

    private static ulong Bits64(FillValue f) => BinaryPrimitives.ReadUInt64LittleEndian(f.Bytes);

    // ------------------------------------------------------------------ floats

    [Fact]
    public void V3NaNIsTheZarrCanonicalNaN()
    {
        // Zarr's "NaN": sign 0, exponent all ones, only the top mantissa bit set.
        Assert.Equal(0x7fc00000u, Bits32(V3("\"NaN\"", ZarrDataType.Float32)));
        Assert.Equal(0x7ff8000000000000ul, Bits64(V3("\"NaN\"", ZarrDataType.Float64)));
        Assert.Equal((ushort)0x7e00, BinaryPrimitives.ReadUInt16LittleEndian(V3("\"NaN\"", ZarrDataType.Float16).Bytes));
        Assert.Equal(0x7fc00000u, Bits32(V2("\"NaN\"", ZarrDataType.Float32)));
    }

    [Theory]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("0", 0.0)]
    [InlineData("-2.5", -2.5)]
    [InlineData("1e300", 1e300)]
    [InlineData("0.1", 0.1)]
    public void FloatValues(string json, double expected)
    {
        Assert.Equal(expected, (double)V3(json, ZarrDataType.Float64).ToObject()!);
        Assert.Equal(expected, (double)V2(json, ZarrDataType.Float64).ToObject()!);
        Assert.Equal((float)expected, (float)V3(json, ZarrDataType.Float32).ToObject()!);
    }

    [Fact]
    public void HexBitPatterns()
    {
        Assert.Equal(0x7fc00000u, Bits32(V3("\"0x7fc00000\"", ZarrDataType.Float32)));
        Assert.Equal(0x7fc00001u, Bits32(V3("\"0x7fc00001\"", ZarrDataType.Float32)));
        Assert.Equal(0xffc00000u, Bits32(V3("\"0xFFC00000\"", ZarrDataType.Float32)));
        Assert.Equal(1.0f, (float)V3("\"0x3f800000\"", ZarrDataType.Float32).ToObject()!);
        Assert.Equal(0x7ff8000000000001ul, Bits64(V3("\"0x7ff8000000000001\"", ZarrDataType.Float64)));
        Assert.Equal(-2.0, (double)V3("\"0xc000000000000000\"", ZarrDataType.Float64).ToObject()!);
        Assert.Equal((Half)1, (Half)V3("\"0x3c00\"", ZarrDataType.Float16).ToObject()!);
    }

    [Theory]
    [InlineData("\"0x7fc0\"")]
    [InlineData("\"0x7fc000000\"")]
    [InlineData("\"0xzzzzzzzz\"")]
    [InlineData("\"nan\"")]
    [InlineData("\"inf\"")]
    [InlineData("true")]
    [InlineData("[1, 2]")]
    public void BadFloatFillValues(string json)
    {
        var e = Assert.Throws<ZarrFormatException>(() => V3(json, ZarrDataType.Float32));
        Assert.Contains("'a/zarr.json'", e.Message);
        Assert.Contains("fill_value", e.Message);
    }

    [Fact]
    public void FloatsWriteBackTheirBits()
    {
        // Every float fill value must survive ToJson → Parse bit for bit, NaN payloads included.
        foreach (var bits in new uint[] { 0x7fc00000, 0x7fc00001, 0xffc00000, 0x7f800000, 0xff800000, 0x80000000, 0x3dcccccd, 0x00000001 })
        {
            var f = V3($"\"0x{bits:x8}\"", ZarrDataType.Float32);
            Assert.Equal(bits, Bits32(V3(f.ToJson(3)!.ToJsonString(), ZarrDataType.Float32)));
        }
        foreach (var bits in new ulong[] { 0x7ff8000000000000, 0x7ff8000000000001, 0xfff8000000000000, 0x8000000000000000, 0x3fb999999999999a })
        {
            var f = V3($"\"0x{bits:x16}\"", ZarrDataType.Float64);
            Assert.Equal(bits, Bits64(V3(f.ToJson(3)!.ToJsonString(), ZarrDataType.Float64)));
        }
    }

    [Fact]
    public void V2WritesEveryNaNAsNaN()
    {
        // zarr-python 2 reads "NaN", "Infinity" and "-Infinity" and numbers only.
        Assert.Equal("\"NaN\"", V3("\"0x7fc00001\"", ZarrDataType.Float32).ToJson(2)!.ToJsonString());
        Assert.Equal("\"0x7fc00001\"", V3("\"0x7fc00001\"", ZarrDataType.Float32).ToJson(3)!.ToJsonString());
        Assert.Equal("[\"NaN\",1]", V3("[\"0xfff8000000000001\", 1]", ZarrDataType.Complex128).ToJson(2)!.ToJsonString());
    }

    [Fact]
    public void CanonicalNaNAndInfinitiesAreWrittenByName()
    {
        Assert.Equal("\"NaN\"", V3("\"NaN\"", ZarrDataType.Float32).ToJson(3)!.ToJsonString());
        Assert.Equal("\"NaN\"", V3("\"0x7ff8000000000000\"", ZarrDataType.Float64).ToJson(3)!.ToJsonString());
        Assert.Equal("\"Infinity\"", V3("\"Infinity\"", ZarrDataType.Float64).ToJson(2)!.ToJsonString());
        Assert.Equal("\"-Infinity\"", V3("\"-Infinity\"", ZarrDataType.Float16).ToJson(3)!.ToJsonString());
    }

    [Fact]
    public void DotNetNaNIsWrittenAsZarrNaN()
    {
        // double.NaN has its sign bit set on .NET; a user asking for NaN means Zarr's NaN, as NumPy's np.nan does.
        foreach (var type in new[] { ZarrDataType.Float16, ZarrDataType.Float32, ZarrDataType.Float64 })
        {
            Assert.Equal("\"NaN\"", FillValue.FromObject(double.NaN, type).ToJson(3)!.ToJsonString());
            Assert.Equal("\"NaN\"", FillValue.FromObject(float.NaN, type).ToJson(3)!.ToJsonString());
        }
        Assert.Equal(0x7fc00000u, Bits32(FillValue.FromObject(double.NaN, ZarrDataType.Float32)));
    }

    // ------------------------------------------------------------------ complex

    [Fact]
    public void ComplexPairs()
    {
        var c64 = V3("[1.0, \"NaN\"]", ZarrDataType.Complex64);
        var v = (Complex64)c64.ToObject()!;
        Assert.Equal(1.0f, v.Real);
        Assert.True(float.IsNaN(v.Imaginary));
        Assert.Equal(0x7fc00000u, BinaryPrimitives.ReadUInt32LittleEndian(c64.Bytes[4..]));
        var c128 = (Complex)V3("[\"-Infinity\", 2.5]", ZarrDataType.Complex128).ToObject()!;
        Assert.Equal(new Complex(double.NegativeInfinity, 2.5), c128);
        Assert.Equal("[1,\"NaN\"]", c64.ToJson(3)!.ToJsonString());
        var hex = V3("[\"0x3f800000\", \"0x7fc00001\"]", ZarrDataType.Complex64);
        Assert.Equal(0x7fc00001u, BinaryPrimitives.ReadUInt32LittleEndian(hex.Bytes[4..]));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("[1.0]")]
    [InlineData("[1.0, 2.0, 3.0]")]
    [InlineData("[1.0, null]")]
    public void BadComplexFillValues(string json) => Assert.Throws<ZarrFormatException>(() => V3(json, ZarrDataType.Complex128));

    // ------------------------------------------------------------------ integers

    [Fact]
    public void IntegersAtTheirExtremes()
    {
        Assert.Equal(long.MinValue, V3("-9223372036854775808", ZarrDataType.Int64).ToObject());
        Assert.Equal(long.MaxValue, V3("9223372036854775807", ZarrDataType.Int64).ToObject());
        Assert.Equal(ulong.MaxValue, V3("18446744073709551615", ZarrDataType.UInt64).ToObject());
        Assert.Equal(sbyte.MinValue, V3("-128", ZarrDataType.Int8).ToObject());
        Assert.Equal(byte.MaxValue, V2("255", ZarrDataType.UInt8).ToObject());
        Assert.Equal(int.MinValue, V2("-2147483648", ZarrDataType.Int32).ToObject());
        Assert.Equal(uint.MaxValue, V3("4294967295", ZarrDataType.UInt32).ToObject());
        Assert.Equal("-9223372036854775808", V3("-9223372036854775808", ZarrDataType.Int64).ToJson(3)!.ToJsonString());
        Assert.Equal("18446744073709551615", V3("18446744073709551615", ZarrDataType.UInt64).ToJson(3)!.ToJsonString());
    }

    [Fact]
    public void IntegralFloatSyntaxIsAnInteger() => Assert.Equal(1000, V3("1e3", ZarrDataType.Int32).ToObject());

    [Theory]
    [InlineData("128", "int8")]
    [InlineData("-129", "int8")]
    [InlineData("-1", "uint8")]
    [InlineData("256", "uint8")]
    [InlineData("18446744073709551616", "uint64")]
    [InlineData("9223372036854775808", "int64")]
    [InlineData("1.5", "int32")]
    [InlineData("\"NaN\"", "int32")]
    [InlineData("\"7\"", "int32")]
    [InlineData("true", "int32")]
    [InlineData("null", "int32")]
    public void BadIntegerFillValues(string json, string type)
    {
        var e = Assert.Throws<ZarrFormatException>(() => V3(json, ZarrDataType.Parse(type)));
        Assert.Equal("a/zarr.json", e.Key);
        Assert.Contains("fill_value", e.Message);
    }

    // ------------------------------------------------------------------ v2 specifics

    [Fact]
    public void V2NullIsTheDefaultAndWrittenBackAsNull()
    {
        var f = V2("null", ZarrDataType.Float64);
        Assert.True(f.IsNull);
        Assert.Equal(0.0, f.ToObject());
        Assert.Null(f.ToJson(2));
        Assert.True(V2("null", ZarrDataType.String).IsNull);
    }

    [Fact]
    public void V2FixedBytesAreBase64()
    {
        var f = V2("\"AQID\"", ZarrDataType.FixedBytes(5));
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0 }, f.Bytes.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])f.ToObject()!);
        Assert.Equal("\"AQIDAAA=\"", f.ToJson(2)!.ToJsonString());
        Assert.Equal(f.Bytes.ToArray(), V2(f.ToJson(2)!.ToJsonString(), ZarrDataType.FixedBytes(5)).Bytes.ToArray());
        Assert.Throws<ZarrFormatException>(() => V2("\"AQIDBAUG\"", ZarrDataType.FixedBytes(5))); // 6 bytes
        Assert.Throws<ZarrFormatException>(() => V2("\"not base64!\"", ZarrDataType.FixedBytes(5)));
    }

    [Fact]
    public void V2UnicodeIsAString()
    {
        var f = V2("\"héé\"", ZarrDataType.FixedUnicode(4));
        Assert.Equal("héé", f.ToObject());
        Assert.Equal(Encoding.UTF32.GetBytes("héé\0"), f.Bytes.ToArray());
        Assert.Equal("\"héé\"", f.ToJson(2)!.ToJsonString(Zarr.Cloud.Metadata.MetadataJson.WriteOptions));
        Assert.Equal("🎉", V2("\"🎉\"", ZarrDataType.FixedUnicode(1)).ToObject());
        Assert.Throws<ZarrFormatException>(() => V2("\"hello\"", ZarrDataType.FixedUnicode(4)));
    }

    [Fact]
    public void V2BooleansAndDatetimes()
    {
        Assert.Equal(true, V2("true", ZarrDataType.Bool).ToObject());
        Assert.Equal(true, V2("1", ZarrDataType.Bool).ToObject());
        Assert.Equal(false, V2("0", ZarrDataType.Bool).ToObject());
        Assert.Throws<ZarrFormatException>(() => V3("1", ZarrDataType.Bool));
        Assert.Equal(long.MinValue, V2("\"NaT\"", ZarrDataType.DateTime64("ns")).ToObject());
        Assert.Equal(86400L, V2("86400", ZarrDataType.DateTime64("s")).ToObject());
    }

    [Fact]
    public void V3StringsAndNull()
    {
        Assert.Equal("x y", V3("\"x y\"", ZarrDataType.String).ToObject());
        Assert.Equal("", V3("\"\"", ZarrDataType.String).ToObject());
        var e = Assert.Throws<ZarrFormatException>(() => V3("null", ZarrDataType.Float32));
        Assert.Contains("fill_value", e.Message);
        Assert.Throws<ZarrFormatException>(() => V3("5", ZarrDataType.String));
    }

    [Fact]
    public void FromObjectStoresDotNetValues()
    {
        Assert.Equal(-7, FillValue.FromObject(-7, ZarrDataType.Int32).ToObject());
        Assert.Equal((short)-7, FillValue.FromObject(-7, ZarrDataType.Int16).ToObject());
        Assert.Equal((Half)1.5, FillValue.FromObject((Half)1.5, ZarrDataType.Float16).ToObject());
        Assert.Equal(new Complex64(1, -2), FillValue.FromObject(new Complex64(1, -2), ZarrDataType.Complex64).ToObject());
        Assert.Equal(new Complex(3, 4), FillValue.FromObject(new Complex(3, 4), ZarrDataType.Complex128).ToObject());
        Assert.Equal("ab", FillValue.FromObject("ab", ZarrDataType.FixedUnicode(3)).ToObject());
        Assert.Equal(new byte[] { 9 }, (byte[])FillValue.FromObject(new byte[] { 9 }, ZarrDataType.FixedBytes(2)).ToObject()!);
        Assert.Equal(0, FillValue.FromObject(null, ZarrDataType.Int32).ToObject());
        Assert.Throws<ArgumentException>(() => FillValue.FromObject(300, ZarrDataType.UInt8));
        Assert.Throws<ArgumentException>(() => FillValue.FromObject("abc", ZarrDataType.FixedUnicode(2)));
    }
}
