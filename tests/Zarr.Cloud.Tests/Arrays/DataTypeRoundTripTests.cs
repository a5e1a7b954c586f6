using System.Numerics;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>Every data type written and read back, v2 and v3, in memory and on disk, with ragged edge chunks.</summary>
public sealed class DataTypeRoundTripTests : StoreBackedTests
{
    private static readonly string[] TypeNames =
    [
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
        "datetime64[ns]", "timedelta64[s]", "S6", "U4", "string",
    ];

    public static TheoryData<string, int, string> AllTypes()
    {
        var d = new TheoryData<string, int, string>();
        foreach (var t in TypeNames)
            foreach (var format in new[] { 2, 3 })
                foreach (var store in new[] { "memory", "file" })
                    d.Add(t, format, store);
        return d;
    }

    public static TheoryData<string, int> MultiByteTypes()
    {
        var d = new TheoryData<string, int>();
        foreach (var t in TypeNames.Where(t => ZarrDataType.Parse(t).SwapUnit > 1))
            foreach (var format in new[] { 2, 3 })
                d.Add(t, format);
        return d;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public Task RoundTrip(string typeName, int format, string store) =>
        Dispatch(ZarrDataType.Parse(typeName), new ZarrArrayDefinition { Shape = [7, 11], ChunkShape = [3, 4], DataType = ZarrDataType.Parse(typeName), ZarrFormat = format }, Stores.Create(store));

    [Theory]
    [MemberData(nameof(MultiByteTypes))]
    public async Task BigEndianRoundTrip(string typeName, int format)
    {
        var store = new MemoryStore();
        var type = ZarrDataType.Parse(typeName);
        await Dispatch(type, new ZarrArrayDefinition { Shape = [7, 11], ChunkShape = [3, 4], DataType = type, ZarrFormat = format, BigEndian = true, Compressor = null }, store);
        // The stored metadata says big-endian, the way each format does.
        var doc = (await store.GetJsonAsync(format == 3 ? "g/arr/zarr.json" : "g/arr/.zarray", TestData.Ct))!;
        if (format == 3) Assert.Contains("\"endian\":\"big\"", doc["codecs"]!.ToJsonString());
        else Assert.StartsWith(">", doc["dtype"]!.GetValue<string>());
    }

    public static TheoryData<int, string> Compressors() => new()
    {
        { 2, "none" }, { 2, "gzip" }, { 2, "zlib" }, { 2, "zstd" },
        { 3, "none" }, { 3, "gzip" }, { 3, "zlib" }, { 3, "zstd" }, { 3, "crc32c" },
    };

    [Theory]
    [MemberData(nameof(Compressors))]
    public Task CompressorRoundTrip(int format, string compressor)
    {
        IBytesToBytesCodec? c = compressor switch
        {
            "gzip" => new GzipCodec(1), "zlib" => new ZlibCodec(1), "zstd" => new ZstdCodec(3, true), "crc32c" => new Crc32cCodec(), _ => null,
        };
        return Dispatch(ZarrDataType.Float64, new ZarrArrayDefinition { Shape = [7, 11], ChunkShape = [3, 4], DataType = ZarrDataType.Float64, ZarrFormat = format, Compressor = c }, new MemoryStore());
    }

    private Task Dispatch(ZarrDataType type, ZarrArrayDefinition definition, IAsyncStore store)
    {
        var method = typeof(DataTypeRoundTripTests).GetMethod(nameof(RoundTripAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        return (Task)method.MakeGenericMethod(type.ClrType).Invoke(null, [definition, store])!;
    }

    private static async Task RoundTripAsync<T>(ZarrArrayDefinition definition, IAsyncStore store)
    {
        var ct = TestData.Ct;
        long[] shape = definition.Shape;
        var values = RandomValues.Make<T>(definition.DataType, (int)Reference.Product(shape), definition.DataType.Name.Length);
        var created = await ZarrArray.CreateAsync(store, "g/arr", definition, cancellationToken: ct);
        await created.WriteAsync(new NDArray<T>(values, shape.Select(s => (int)s).ToArray()), ct);

        var array = await ZarrArray.OpenAsync(store, "g/arr", cancellationToken: ct);
        Assert.Equal(definition.DataType.AsLittleEndian(), array.DataType.AsLittleEndian());
        Assert.Equal(typeof(T), array.DataType.ClrType);
        Assert.Equal(shape, array.Shape);

        var all = await array.ReadAsync<T>(Selection.All, ct);
        Assert.Equal(shape.Select(s => (int)s), all.Shape);
        Assert.Equal(values, all.Data);

        // A stepped selection across chunk edges, including the ragged last row and column.
        var selection = new Selection(new Slice(1, null, 2), new Slice(2, 11, 3));
        var part = await array.ReadAsync<T>(selection, ct);
        Assert.Equal(Reference.Select(values, shape, selection.Resolve(shape)), part.Data);

        var untyped = await array.ReadAsync(new Selection(^1, 3..), ct);
        Assert.Equal(typeof(T), untyped.ElementType);
        Assert.Equal([8], untyped.Shape);
        Assert.Equal(Reference.Select(values, shape, new Selection(^1, 3..).Resolve(shape)), (T[])untyped.Data);

        // Every chunk of the 3 x 3 grid exists (random values are never all fill), and nothing else.
        Assert.Equal(9, (await ArrayTestHelpers.ChunkKeysAsync(store, "g/arr/")).Count);
    }

    [Fact]
    public async Task BoolBytesOtherThanOneReadAsTrue()
    {
        // A chunk written by another implementation may hold any non-zero byte for true.
        var store = new MemoryStore();
        var a = await ZarrArray.CreateAsync(store, "b", new ZarrArrayDefinition { Shape = [4], ChunkShape = [4], DataType = ZarrDataType.Bool, Compressor = null }, cancellationToken: TestData.Ct);
        await store.SetAsync(a.GetChunkKey([0]), new byte[] { 0, 1, 2, 255 }, TestData.Ct);
        var r = await a.ReadAsync<bool>(Selection.All, TestData.Ct);
        Assert.Equal([false, true, true, true], r.Data);
        var tail = await a.ReadAsync<bool>(new Selection(2..), TestData.Ct);
        Assert.Equal([true, true], tail.Data);
    }

    [Fact]
    public async Task ComplexAndHalfValuesAreExact()
    {
        var store = new MemoryStore();
        var c = await ZarrArray.CreateAsync(store, "c", new ZarrArrayDefinition { Shape = [3], ChunkShape = [2], DataType = ZarrDataType.Complex128 }, cancellationToken: TestData.Ct);
        Complex[] cv = [new(1, -1), new(double.MaxValue, double.Epsilon), new(double.NaN, double.NegativeInfinity)];
        await c.WriteAsync(new NDArray<Complex>(cv, 3), TestData.Ct);
        Assert.Equal(cv, (await c.ReadAsync<Complex>(Selection.All, TestData.Ct)).Data);
        var h = await ZarrArray.CreateAsync(store, "h", new ZarrArrayDefinition { Shape = [4], ChunkShape = [3], DataType = ZarrDataType.Float16, FillValue = Half.NaN }, cancellationToken: TestData.Ct);
        Half[] hv = [Half.MaxValue, Half.Epsilon, Half.NegativeInfinity, (Half)(-0.0)];
        await h.WriteAsync(new NDArray<Half>(hv, 4), TestData.Ct);
        var back = (await h.ReadAsync<Half>(Selection.All, TestData.Ct)).Data;
        Assert.Equal(hv.Select(BitConverter.HalfToUInt16Bits), back.Select(BitConverter.HalfToUInt16Bits));
    }
}
