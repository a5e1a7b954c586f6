using Zarr.Cloud.Caching;

namespace Zarr.Cloud.Tests.Caching;

/// <summary>Reads through the chunk cache (cold, then warm) return exactly what reads without it return, for many layouts and types.</summary>
public sealed class CachedReadExactnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Layouts() =>
    [
        "v2.zlib.f32", "v2.F.zstd.i16", "v3.F.f64", "v3.raw.u8", "v3.sharded.f32", "v3.sharded.raw.i32", "v3.bigendian.u16",
        "v2.bool", "v3.complex64", "v2.S5", "v3.U3", "v3.string", "v3.sharded.i64",
    ];

    private static readonly Selection[] Selections =
    [
        Selection.All,
        new(3..19, 2..15),
        new(^4.., 5),
        new(new Slice(1, 22, 3), new Slice(0, 17, 2)),
        new(7, 9),
        new(10..20, 8..16),
    ];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task CachedReadsEqualUncachedReads(string layout)
    {
        var parts = layout.Split('.');
        char order = parts.Contains("F") ? 'F' : 'C';
        int format = parts[0] == "v2" ? 2 : 3;
        bool sharded = parts.Contains("sharded");
        bool raw = parts.Contains("raw");
        IBytesToBytesCodec? compressor = raw ? null : parts.Contains("zlib") ? new ZlibCodec(1) : new ZstdCodec(1);
        var type = parts[^1];
        ZarrArrayDefinition Define(ZarrDataType dt, bool compressed = true) => new()
        {
            Shape = [23, 17], ChunkShape = [5, 4], ShardShape = sharded ? [10, 8] : null, DataType = dt, ZarrFormat = format, Order = order,
            Compressor = compressed ? compressor : null, BigEndian = parts.Contains("bigendian"),
        };
        switch (type)
        {
            case "f32": await CheckAsync(Define(ZarrDataType.Float32), i => i * 0.5f); break;
            case "f64": await CheckAsync(Define(ZarrDataType.Float64), i => i / 3.0); break;
            case "i16": await CheckAsync(Define(ZarrDataType.Int16), i => (short)(i - 200)); break;
            case "i32": await CheckAsync(Define(ZarrDataType.Int32), i => i * 1000); break;
            case "i64": await CheckAsync(Define(ZarrDataType.Int64), i => (long)i << 33); break;
            case "u8": await CheckAsync(Define(ZarrDataType.UInt8), i => (byte)i); break;
            case "u16": await CheckAsync(Define(ZarrDataType.UInt16), i => (ushort)(i * 7)); break;
            case "bool": await CheckAsync(Define(ZarrDataType.Bool), i => i % 3 == 0); break;
            case "complex64": await CheckAsync(Define(ZarrDataType.Complex64), i => new Complex64(i, -i)); break;
            case "S5": await CheckAsync(Define(ZarrDataType.FixedBytes(5)), i => new byte[] { (byte)i, (byte)(i >> 8), 1, 2, 3 }); break;
            case "U3": await CheckAsync(Define(ZarrDataType.FixedUnicode(3)), i => (i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case "string": await CheckAsync(Define(ZarrDataType.String, compressed: false), i => i % 5 == 0 ? "" : "s" + i); break;
            default: throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown type");
        }
    }

    private static async Task CheckAsync<T>(ZarrArrayDefinition definition, Func<int, T> make)
    {
        var store = new MemoryStore();
        var cache = new ChunkCache(1 << 20);
        var plain = await ZarrArray.CreateAsync(store, "a", definition, null, Ct);
        var data = Enumerable.Range(0, 23 * 17).Select(make).ToArray();
        // Leave the last rows unwritten: missing chunks read as the fill value through both paths.
        await plain.WriteAsync(new Selection(0..15), new NDArray<T>(data[..(15 * 17)], 15, 17), Ct);
        var cached = await ZarrArray.OpenAsync(store, "a", new ZarrOpenOptions { ChunkCache = cache }, Ct);
        foreach (var selection in Selections)
        {
            var expected = await plain.ReadAsync<T>(selection, Ct);
            var cold = await cached.ReadAsync<T>(selection, Ct);
            var warm = await cached.ReadAsync<T>(selection, Ct);
            Assert.Equal(expected.Shape, cold.Shape);
            Assert.Equal(expected.Data, cold.Data);
            Assert.Equal(expected.Data, warm.Data);
        }
        var whole = await cached.ReadAsync<T>(new Selection(0..15), Ct);
        Assert.Equal(data[..(15 * 17)], whole.Data);
        if (definition.DataType.IsFixedSize) Assert.True(cache.Hits > 0 && cache.Count > 0, $"hits {cache.Hits}, entries {cache.Count}");
        else Assert.Equal(0, cache.Count); // strings bypass the cache
    }
}
