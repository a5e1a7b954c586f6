using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>
/// Arrays this SDK writes for other implementations to read back, with the values they must find written
/// independently of the SDK (as .npy or JSON, from the input data).
/// </summary>
public static class WrittenCases
{
    public sealed record Case(string Path, ZarrArrayDefinition Definition, Array Data, int[] Shape);

    private static readonly Random Rng = new(20261123);

    private static T[] Fill<T>(int n, Func<int, T> f) => Enumerable.Range(0, n).Select(f).ToArray();

    public static IEnumerable<Case> V2()
    {
        int[] s2 = [7, 11];
        long[] shape = [7, 11];
        int n = 77;
        var codecs = new (string Name, IBytesToBytesCodec? Codec)[] { ("raw", null), ("zlib", new ZlibCodec(1)), ("gzip", new GzipCodec(5)), ("zstd", new ZstdCodec(3)) };
        int k = 0;
        Case Make<T>(string name, ZarrDataType dt, T[] data, object? fill = null, char order = 'C', bool big = false, char sep = '.')
        {
            var (cname, codec) = codecs[k++ % codecs.Length];
            return new Case($"{name}.{cname}.{order}", new ZarrArrayDefinition
            {
                Shape = shape, ChunkShape = [3, 4], DataType = dt, FillValue = fill, ZarrFormat = 2, Compressor = codec, Order = order, BigEndian = big, ChunkKeySeparator = sep,
                Attributes = new JsonObject { ["name"] = name, ["nested"] = new JsonObject { ["list"] = new JsonArray(1, "two", null) } },
            }, data, s2);
        }
        yield return Make("b1", ZarrDataType.Bool, Fill(n, i => i % 3 == 0));
        yield return Make("i1", ZarrDataType.Int8, Fill(n, i => (sbyte)(i * 7 - 100)), fill: (sbyte)-1);
        yield return Make("i2", ZarrDataType.Int16, Fill(n, i => (short)(i * 997 - 30000)), order: 'F');
        yield return Make("i4", ZarrDataType.Int32, Fill(n, i => Rng.Next(int.MinValue, int.MaxValue)), fill: 42, sep: '/');
        yield return Make("i8", ZarrDataType.Int64, Fill(n, i => i == 0 ? long.MinValue : Rng.NextInt64()), order: 'F', big: true);
        yield return Make("u1", ZarrDataType.UInt8, Fill(n, i => (byte)i));
        yield return Make("u2", ZarrDataType.UInt16, Fill(n, i => (ushort)(i * 800)), big: true);
        yield return Make("u4", ZarrDataType.UInt32, Fill(n, i => (uint)Rng.NextInt64(0, uint.MaxValue)), fill: 7u);
        yield return Make("u8", ZarrDataType.UInt64, Fill(n, i => i == 1 ? ulong.MaxValue : (ulong)Rng.NextInt64()), fill: ulong.MaxValue);
        yield return Make("f2", ZarrDataType.Float16, Fill(n, i => (Half)(i * 0.25 - 3)), fill: Half.NaN);
        yield return Make("f4", ZarrDataType.Float32, Fill(n, i => i == 5 ? float.NaN : i == 6 ? float.NegativeInfinity : (float)(Rng.NextDouble() * 1e6 - 5e5)), fill: float.NaN, order: 'F');
        yield return Make("f8", ZarrDataType.Float64, Fill(n, i => i == 2 ? double.PositiveInfinity : Rng.NextDouble() * 1e-300), fill: double.NegativeInfinity, big: true, sep: '/');
        yield return Make("c8", ZarrDataType.Complex64, Fill(n, i => new Complex64(i, -i * 0.5f)), fill: new Complex64(float.NaN, 1));
        yield return Make("c16", ZarrDataType.Complex128, Fill(n, i => new Complex(Rng.NextDouble(), i == 3 ? double.NaN : -i)), big: true, order: 'F');
        yield return Make("M8ns", ZarrDataType.DateTime64("ns"), Fill(n, i => i == 4 ? long.MinValue : 1_700_000_000_000_000_000L + i * 1_000_000_007L), fill: long.MinValue);
        yield return Make("M8D", ZarrDataType.DateTime64("D"), Fill(n, i => 10957L + i));
        yield return Make("M8_10s", ZarrDataType.DateTime64("s", 10), Fill(n, i => 170_000_000L + i), order: 'F');
        yield return Make("m8ms", ZarrDataType.TimeDelta64("ms"), Fill(n, i => -5000L + i * 123), big: true);
        yield return Make("S7", ZarrDataType.FixedBytes(7), Fill(n, i => Encoding.ASCII.GetBytes(new string((char)('a' + i % 26), i % 8))), fill: new byte[] { 0x7a, 0x7a });
        yield return Make("U5", ZarrDataType.FixedUnicode(5), Fill(n, i => new[] { "", "a", "héllo", "日本", "🚀x" }[i % 5]), fill: "zz", order: 'F');
        yield return Make("U5be", ZarrDataType.FixedUnicode(5), Fill(n, i => new[] { "Ω", "ab", "" }[i % 3]), big: true);
        yield return Make("str", ZarrDataType.String, Fill(n, i => new[] { "", "a", "héllo", "日本", "🚀 emoji", "longer text here" }[i % 6]), sep: '/');
        yield return Make("str_F", ZarrDataType.String, Fill(n, i => $"value {i}"), order: 'F');
    }

    public static IEnumerable<Case> V3()
    {
        foreach (var c in V3Plain()) yield return c;
        var shape = new long[] { 13, 17 };
        var data = Fill(13 * 17, i => (short)(i * 7 - 700));
        yield return new Case("int16.sharded", new ZarrArrayDefinition { Shape = shape, ChunkShape = [4, 4], ShardShape = [8, 8], DataType = ZarrDataType.Int16, FillValue = (short)-1 }, data, [13, 17]);
        yield return new Case("float32.sharded.gzip", new ZarrArrayDefinition
        {
            Shape = shape, ChunkShape = [8, 16], DataType = ZarrDataType.Float32, FillValue = float.NaN,
            Codecs = [Zarr.Cloud.Codecs.Sharding.ShardingCodec.Define([4, 4], [new BytesCodec(false), new GzipCodec(5)])] /* zarrita 0.7.5 reads the index from the end only, whatever index_location says */,
        }, Fill(13 * 17, i => i % 5 == 0 ? float.NaN : i * 0.25f), [13, 17]);
        yield return new Case("string.sharded", new ZarrArrayDefinition { Shape = [10], ChunkShape = [2], ShardShape = [4], DataType = ZarrDataType.String, Compressor = new ZstdCodec(1) },
            Fill(10, i => new[] { "", "ü", "日本", "🚀" }[i % 4]), [10]);
    }

    private static IEnumerable<Case> V3Plain()
    {
        int[] s2 = [7, 11];
        long[] shape = [7, 11];
        int n = 77;
        Case Make<T>(string name, ZarrDataType dt, T[] data, object? fill = null, IReadOnlyList<ICodec>? codecs = null, IBytesToBytesCodec? compressor = null, char sep = '/', int[]? chunks = null)
            => new(name, new ZarrArrayDefinition
            {
                Shape = shape, ChunkShape = chunks ?? [3, 4], DataType = dt, FillValue = fill, Codecs = codecs, Compressor = compressor, ChunkKeySeparator = sep,
                DimensionNames = ["y", "x"], Attributes = new JsonObject { ["name"] = name },
            }, data, s2);
        yield return Make("bool", ZarrDataType.Bool, Fill(n, i => i % 3 == 0), fill: true);
        yield return Make("int8", ZarrDataType.Int8, Fill(n, i => (sbyte)(i * 3 - 100)));
        yield return Make("int16.gzip", ZarrDataType.Int16, Fill(n, i => (short)(i * 997 - 30000)), compressor: new GzipCodec(5));
        yield return Make("int32.zstd", ZarrDataType.Int32, Fill(n, i => Rng.Next()), fill: -7, compressor: new ZstdCodec(3, checksum: true));
        yield return Make("int64", ZarrDataType.Int64, Fill(n, i => i * 1_000_000_007L - 3));
        yield return Make("uint8.dot", ZarrDataType.UInt8, Fill(n, i => (byte)(255 - i)), sep: '.');
        yield return Make("uint16.be", ZarrDataType.UInt16, Fill(n, i => (ushort)(i * 800)), codecs: [new BytesCodec(true)]);
        yield return Make("uint32", ZarrDataType.UInt32, Fill(n, i => (uint)i * 50_000_000u));
        yield return Make("uint64", ZarrDataType.UInt64, Fill(n, i => (ulong)i * 1_000_000_000_000UL));
        yield return Make("float32.nan", ZarrDataType.Float32, Fill(n, i => i == 5 ? float.NaN : i * 0.1f - 2), fill: float.NaN);
        yield return Make("float64.crc32c", ZarrDataType.Float64, Fill(n, i => Math.Sin(i) * 1e10), codecs: [new BytesCodec(false), new Crc32cCodec()]);
        yield return Make("float64.transpose", ZarrDataType.Float64, Fill(n, i => i + 0.5), codecs: [new TransposeCodec([1, 0]), new BytesCodec(false), new ZstdCodec(1)]);
        yield return Make("float32.partial", ZarrDataType.Float32, Fill(n, i => (i / 11) < 3 ? i * 1.5f : float.NaN), fill: float.NaN);
        yield return Make("string", ZarrDataType.String, Fill(n, i => new[] { "", "a", "héllo", "日本", "🚀 emoji" }[i % 5]), compressor: new ZstdCodec(0));
    }

    /// <summary>Writes the case with the SDK; the expected values file is written from the input, not by the SDK.</summary>
    public static async Task<JsonObject> WriteAsync(IAsyncStore store, string root, Case c, int format, CancellationToken ct)
    {
        var array = await ZarrArray.CreateAsync(store, c.Path, c.Definition, cancellationToken: ct);
        var method = typeof(WrittenCases).GetMethod(nameof(WriteTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(c.Data.GetType().GetElementType()!);
        await (Task)method.Invoke(null, [array, c.Data, c.Shape, ct])!;
        Directory.CreateDirectory(Path.Combine(root, "expected"));
        var dt = c.Definition.DataType;
        string expected;
        if (dt.Kind == DataTypeKind.String || format == 3)
        {
            expected = $"expected/{c.Path.Replace('/', '_')}.json";
            var data = new JsonArray();
            foreach (var v in c.Data) data.Add(JsonValueOf(v));
            File.WriteAllText(Path.Combine(root, expected), new JsonObject { ["shape"] = new JsonArray(c.Shape.Select(x => (JsonNode)x).ToArray()), ["dtype"] = dt.Kind == DataTypeKind.String ? "|O" : dt.Name, ["data"] = data }.ToJsonString());
        }
        else
        {
            expected = $"expected/{c.Path.Replace('/', '_')}.npy";
            File.WriteAllBytes(Path.Combine(root, expected), Npy(c.Data, c.Shape, dt.WithByteOrder(c.Definition.BigEndian)));
        }
        var entry = new JsonObject { ["path"] = c.Path, ["expected"] = expected };
        if (format == 2) entry["dtype"] = dt.WithByteOrder(c.Definition.BigEndian).ToV2String();
        if (c.Definition.Attributes is { } attrs) entry["attributes"] = attrs.DeepClone();
        return entry;
    }

    private static Task WriteTyped<T>(ZarrArray array, T[] data, int[] shape, CancellationToken ct) => array.WriteAsync(new NDArray<T>(data, shape), ct);

    private static JsonNode? JsonValueOf(object? v) => v switch
    {
        null => null,
        bool b => b,
        float f => float.IsFinite(f) ? JsonValue.Create((double)f) : JsonValue.Create(Canonical.Of(f)),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(Canonical.Of(d)),
        long or ulong => JsonValue.Create(Canonical.Of(v)),
        string s => s,
        _ => JsonValue.Create(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>NumPy .npy (format 1.0) in the type's byte order, from the input data.</summary>
    private static byte[] Npy(Array data, int[] shape, ZarrDataType dt)
    {
        int w = dt.ItemSize;
        var body = new byte[data.Length * w];
        for (int i = 0; i < data.Length; i++)
        {
            var slot = body.AsSpan(i * w, w);
            switch (data.GetValue(i))
            {
                case byte[] b: b.CopyTo(slot); break;
                case string s:
                    int k = 0;
                    foreach (var r in s.EnumerateRunes()) { BinaryPrimitives.WriteInt32LittleEndian(slot[(k * 4)..], r.Value); k++; }
                    break;
                case bool b: slot[0] = b ? (byte)1 : (byte)0; break;
                case Complex c: BinaryPrimitives.WriteDoubleLittleEndian(slot, c.Real); BinaryPrimitives.WriteDoubleLittleEndian(slot[8..], c.Imaginary); break;
                case Complex64 c: BinaryPrimitives.WriteSingleLittleEndian(slot, c.Real); BinaryPrimitives.WriteSingleLittleEndian(slot[4..], c.Imaginary); break;
                case Half h: BinaryPrimitives.WriteHalfLittleEndian(slot, h); break;
                case float f: BinaryPrimitives.WriteSingleLittleEndian(slot, f); break;
                case double d: BinaryPrimitives.WriteDoubleLittleEndian(slot, d); break;
                case sbyte v: slot[0] = (byte)v; break;
                case byte v: slot[0] = v; break;
                case short v: BinaryPrimitives.WriteInt16LittleEndian(slot, v); break;
                case ushort v: BinaryPrimitives.WriteUInt16LittleEndian(slot, v); break;
                case int v: BinaryPrimitives.WriteInt32LittleEndian(slot, v); break;
                case uint v: BinaryPrimitives.WriteUInt32LittleEndian(slot, v); break;
                case long v: BinaryPrimitives.WriteInt64LittleEndian(slot, v); break;
                case ulong v: BinaryPrimitives.WriteUInt64LittleEndian(slot, v); break;
                default: throw new NotSupportedException(data.GetType().ToString());
            }
        }
        if (dt.BigEndian)
        {
            int unit = dt.SwapUnit;
            for (int o = 0; o + unit <= body.Length; o += unit) Array.Reverse(body, o, unit);
        }
        var descr = dt.ToV2String();
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        var head = new byte[10];
        head[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(head, 1);
        head[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(8), (ushort)header.Length);
        return [.. head, .. Encoding.ASCII.GetBytes(header), .. body];
    }
}
