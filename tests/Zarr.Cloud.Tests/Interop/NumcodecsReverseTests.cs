using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Numcodecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>
/// v2 arrays this SDK writes with each numcodecs compressor, filter and checksum, read back by zarr-python 2.13.
/// For lossy filters the values zarr-python must find are the input passed through the same filters by numcodecs
/// itself (the manifest says "lossy"), so the bytes this SDK stores must decode, with numcodecs, to what numcodecs'
/// own encoding would give.
/// </summary>
public class NumcodecsReverseTests
{
    private static readonly Random Rng = new(20261124);

    private static T[] Fill<T>(int n, Func<int, T> f) => Enumerable.Range(0, n).Select(f).ToArray();

    private static T[] Smooth<T>(int n, Func<int, T> f)
    {
        int v = 0;
        return Enumerable.Range(0, n).Select(_ => f(v += Rng.Next(-3, 4))).ToArray();
    }

    public sealed record NumcodecsCase(WrittenCases.Case Case, bool Lossy, JsonArray? Filters = null);

    public static IEnumerable<NumcodecsCase> Cases()
    {
        long[] shape = [7, 11];
        int n = 77;
        NumcodecsCase Make<T>(string name, ZarrDataType dt, T[] data, IBytesToBytesCodec? compressor, ICodec[] filters, bool lossy = false, bool big = false, char order = 'C', object? fill = null, JsonArray? expectFilters = null) =>
            new(new WrittenCases.Case($"nc.{name}", new ZarrArrayDefinition
            {
                Shape = shape, ChunkShape = [3, 4], DataType = dt, FillValue = fill, ZarrFormat = 2, Compressor = compressor, Filters = filters, Order = order, BigEndian = big,
                // Non-ASCII metadata: zarr-python 2 reads .zarray and .zattrs as ASCII, so they must be escaped.
                Attributes = new JsonObject { ["codec"] = name, ["note"] = "héllo 日本 🚀" },
            }, data, [7, 11]), lossy, expectFilters);
        string[] labels = ["red", "green", "blue", "héllo", "日本"];
        string[] pool = [.. labels, "", "other"];

        yield return Make("lz4.i4", ZarrDataType.Int32, Fill(n, _ => Rng.Next(int.MinValue, int.MaxValue)), new Lz4Codec(), []);
        yield return Make("lz4.f8.F", ZarrDataType.Float64, Fill(n, i => i == 3 ? double.NaN : Rng.NextDouble() * 1e6), new Lz4Codec(5), [], order: 'F');
        yield return Make("lz4.i2.be", ZarrDataType.Int16, Smooth(n, v => (short)v), new Lz4Codec(), [], big: true);
        yield return Make("bz2.f4", ZarrDataType.Float32, Fill(n, _ => (float)Rng.NextDouble()), new Bz2Codec(9), []);
        yield return Make("bz2.u8", ZarrDataType.UInt64, Fill(n, _ => (ulong)Rng.NextInt64()), new Bz2Codec(), [], fill: 7UL);
        yield return Make("lzma.i2", ZarrDataType.Int16, Smooth(n, v => (short)(v * 100)), new LzmaCodec(), []);
        yield return Make("lzma.c16", ZarrDataType.Complex128, Fill(n, i => new System.Numerics.Complex(i, -i * 0.5)), new LzmaCodec(preset: 1), []);
        yield return Make("crc32.f8", ZarrDataType.Float64, Fill(n, i => Math.Sin(i)), new Crc32Codec(), []);
        yield return Make("adler32.u1", ZarrDataType.UInt8, Fill(n, i => (byte)(i * 7)), new Adler32Codec(), []);
        yield return Make("shuffle.zlib.i4", ZarrDataType.Int32, Smooth(n, v => v * 1000), new ZlibCodec(1), [new ShuffleCodec(4)]);
        yield return Make("shuffle.f8.alone", ZarrDataType.Float64, Fill(n, i => i * 0.25), null, [new ShuffleCodec(8)]);
        yield return Make("crc32.zstd.i2", ZarrDataType.Int16, Fill(n, i => (short)(i * 300)), new ZstdCodec(3), [new Crc32Codec()]);
        yield return Make("shuffle.adler32.lz4.u2", ZarrDataType.UInt16, Fill(n, i => (ushort)(i * 811)), new Lz4Codec(), [new ShuffleCodec(2), new Adler32Codec()]);
        yield return Make("delta.i2", ZarrDataType.Int16, Smooth(n, v => (short)v), new ZlibCodec(1), [new DeltaCodec(ZarrDataType.Int16)]);
        yield return Make("delta.i4.be", ZarrDataType.Int32, Fill(n, _ => Rng.Next(int.MinValue, int.MaxValue)), new ZlibCodec(1), [new DeltaCodec(ZarrDataType.Int32)], big: true,
            expectFilters: [new JsonObject { ["id"] = "delta", ["dtype"] = ">i4", ["astype"] = ">i4" }]);
        yield return Make("delta.f8", ZarrDataType.Float64, Smooth(n, v => v * 0.25), null, [new DeltaCodec(ZarrDataType.Float64)]);
        yield return Make("delta.i4.astype_i2", ZarrDataType.Int32, Smooth(n, v => v), new Bz2Codec(), [new DeltaCodec(ZarrDataType.Int32, ZarrDataType.Int16)]);
        yield return Make("delta.i2.F", ZarrDataType.Int16, Smooth(n, v => (short)v), new ZlibCodec(1), [new DeltaCodec(ZarrDataType.Int16)], order: 'F');
        yield return Make("fso.f8.u1", ZarrDataType.Float64, Fill(n, _ => 1000 + Rng.NextDouble() * 25), new ZlibCodec(1), [new FixedScaleOffsetCodec(1000, 10, ZarrDataType.Float64, ZarrDataType.UInt8)], lossy: true, fill: 1000.0);
        yield return Make("fso.f4.i2.be", ZarrDataType.Float32, Fill(n, _ => (float)(Rng.NextDouble() * 600 - 300)), new LzmaCodec(), [new FixedScaleOffsetCodec(0, 100, ZarrDataType.Float32, ZarrDataType.Int16)], lossy: true, big: true,
            expectFilters: [new JsonObject { ["id"] = "fixedscaleoffset", ["offset"] = 0, ["scale"] = 100, ["dtype"] = ">f4", ["astype"] = ">i2" }]);
        yield return Make("fso.f8.i4.float_offset", ZarrDataType.Float64, Fill(n, _ => 1000 + Rng.NextDouble()), null, [new FixedScaleOffsetCodec(1000.5, 1000, ZarrDataType.Float64, ZarrDataType.Int32)], lossy: true);
        yield return Make("fso.i4.u1", ZarrDataType.Int32, Fill(n, i => 100 + i * 3), new Lz4Codec(), [new FixedScaleOffsetCodec(100, 1, ZarrDataType.Int32, ZarrDataType.UInt8)], fill: 100);
        yield return Make("quantize.f4.d2", ZarrDataType.Float32, Fill(n, _ => (float)Rng.NextDouble()), new ZlibCodec(1), [new QuantizeCodec(2, ZarrDataType.Float32)], lossy: true);
        yield return Make("quantize.f8.d3.f4", ZarrDataType.Float64, Fill(n, _ => Rng.NextDouble() * 100), null, [new QuantizeCodec(3, ZarrDataType.Float64, ZarrDataType.Float32)], lossy: true);
        yield return Make("bitround.f4.k5", ZarrDataType.Float32, Fill(n, i => i == 4 ? float.NaN : (float)(Rng.NextDouble() * 1e4)), new ZstdCodec(1), [new BitRoundCodec(5)], lossy: true);
        yield return Make("bitround.f8.k20", ZarrDataType.Float64, Fill(n, _ => Rng.NextDouble() * 1e-5), null, [new BitRoundCodec(20)], lossy: true);
        yield return Make("packbits.b1", ZarrDataType.Bool, Fill(n, _ => Rng.Next(2) == 1), null, [new PackBitsCodec()]);
        yield return Make("packbits.b1.F.lz4", ZarrDataType.Bool, Fill(n, i => i % 3 == 0), new Lz4Codec(), [new PackBitsCodec()], order: 'F', fill: true);
        yield return Make("categorize.str", ZarrDataType.String, Fill(n, _ => pool[Rng.Next(pool.Length)]), new ZlibCodec(1), [new CategorizeCodec(labels, ZarrDataType.String)], lossy: true);
        yield return Make("categorize.U5.u2", ZarrDataType.FixedUnicode(5), Fill(n, _ => pool[Rng.Next(pool.Length)]), null, [new CategorizeCodec(labels, ZarrDataType.FixedUnicode(5), ZarrDataType.UInt16)], lossy: true);
        yield return Make("astype.f8.f4", ZarrDataType.Float64, Fill(n, _ => Rng.NextDouble()), new ZlibCodec(1), [new AsTypeCodec(ZarrDataType.Float32, ZarrDataType.Float64)], lossy: true);
        yield return Make("astype.i8.i2", ZarrDataType.Int64, Fill(n, _ => (long)Rng.Next(short.MinValue, short.MaxValue)), null, [new AsTypeCodec(ZarrDataType.Int16, ZarrDataType.Int64)]);
    }

    [Fact]
    public async Task ZarrPythonReadsTheNumcodecsArraysWeWrite()
    {
        var python = ExternalTools.RequirePython();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("numcodecs-out");
        try
        {
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"));
            await ZarrGroup.CreateAsync(store, "", 2, cancellationToken: ct);
            var entries = new JsonArray();
            var cases = Cases().ToList();
            foreach (var c in cases)
            {
                var entry = await WrittenCases.WriteAsync(store, dir, c.Case, 2, ct);
                if (c.Lossy) entry["lossy"] = true;
                if (c.Filters is not null) entry["filters"] = c.Filters;
                entries.Add(entry);
            }
            var manifestPath = Path.Combine(dir, "manifest.json");
            File.WriteAllText(manifestPath, new JsonObject { ["zarr_format"] = 2, ["arrays"] = entries }.ToJsonString());
            var (code, stdout, stderr) = ExternalTools.Run(python, ["-W", "ignore", ExternalTools.Script("zarr_python_v2_verify.py"), Path.Combine(dir, "data.zarr"), manifestPath], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"zarr-python found differences:\n{stdout}\n{stderr}");
            Assert.Equal(cases.Count, stdout.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));

            // And this SDK reads back what it wrote (lossless cases value by value).
            foreach (var c in cases.Where(c => !c.Lossy))
            {
                var array = await ZarrArray.OpenAsync(store, c.Case.Path, cancellationToken: ct);
                var read = Canonical.Of(await array.ReadAsync(Selection.All, ct));
                var want = c.Case.Data.Cast<object?>().Select(Canonical.Of).ToArray();
                Canonical.AssertEqual(want, read.Values, c.Case.Path);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
