using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Tests;

public class FillValueToObjectTests
{
    public static TheoryData<string, object> Values => new()
    {
        { "int8", (sbyte)-3 },
        { "int16", (short)-300 },
        { "int32", -70000 },
        { "int64", -5_000_000_000L },
        { "uint8", (byte)200 },
        { "uint16", (ushort)60000 },
        { "uint32", 4_000_000_000U },
        { "uint64", 18_000_000_000_000_000_000UL },
        { "float16", (Half)1.5 },
        { "float32", 2.5f },
        { "float64", -0.125 },
        { "bool", true },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ToObjectReturnsTheDataTypesClrType(string type, object value)
    {
        var dataType = ZarrDataType.Parse(type);
        var fill = FillValue.FromObject(value, dataType);
        var back = fill.ToObject();
        Assert.IsType(dataType.ClrType, back);
        Assert.Equal(value, back);
    }
}
