using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Interop;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>Arrays compressed with Blosc: zarr-python's read by us value by value; ours read by zarr-python (v2) and zarrita.js (v3).</summary>
public class BloscArrayInteropTests
{
    [Fact]
    public async Task ArraysZarrPythonWritesWithBloscReadValueByValue()
    {
        var python = BloscFrameMatrix.RequirePythonBlosc();
        ExternalTools.RequirePython();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("blosc-arrays");
        try
        {
            ExternalTools.RunOk(python, [ExternalTools.Script("blosc_arrays.py"), dir]);
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
            int compared = 0;
            foreach (var entry in manifest["arrays"]!.AsArray())
            {
                var path = entry!["path"]!.ToString();
                var array = await ZarrArray.OpenAsync(store, path, cancellationToken: ct);
                var blosc = Assert.IsType<BloscCodec>(Assert.Single(array.Pipeline.BytesToBytes));
                var config = entry["compressor"]!;
                Assert.Equal(config["cname"]!.ToString(), blosc.CompressorName);
                Assert.True(JsonNode.DeepEquals(config, blosc.ToV2Json()), $"{path}: {blosc.ToV2Json().ToJsonString()} written back for {config.ToJsonString()}");
                var expected = Canonical.Load(Path.Combine(dir, entry["expected"]!.ToString()));
                var actual = Canonical.Of(await array.ReadAsync(Selection.All, ct));
                Assert.Equal(expected.Shape, actual.Shape);
                Canonical.AssertEqual(expected.Values, actual.Values, path);
                compared++;
            }
            Assert.True(compared >= 70, $"only {compared} arrays");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static T[] Fill<T>(int n, Func<int, T> f) => Enumerable.Range(0, n).Select(f).ToArray();

    private static IEnumerable<WrittenCases.Case> Cases(int format)
    {
        var names = Enum.GetValues<BloscCompressor>();
        int k = 0;
        WrittenCases.Case Make<T>(string name, ZarrDataType dt, int[] shape, int[] chunks, T[] data, BloscShuffleMode shuffle, int level = 5, int blockSize = 0, bool big = false)
        {
            var c = names[k++ % names.Length];
            var codec = new BloscCodec(c, level, shuffle, dt.IsFixedSize ? dt.ItemSize : 1, blockSize);
            return new WrittenCases.Case($"{name}.{BloscCodec.NameOf(c)}.{shuffle}", new ZarrArrayDefinition
            {
                Shape = shape.Select(x => (long)x).ToArray(), ChunkShape = chunks, DataType = dt, FillValue = null, ZarrFormat = format, Compressor = codec, BigEndian = big,
            }, data, shape);
        }
        foreach (var shuffle in Enum.GetValues<BloscShuffleMode>())
        {
            yield return Make("f4", ZarrDataType.Float32, [37, 29], [16, 12], Fill(37 * 29, i => MathF.Sin(i * 0.01f) * 100), shuffle);
            yield return Make("f8", ZarrDataType.Float64, [300, 200], [256, 200], Fill(60000, i => Math.Cos(i * 0.001) * 1e5), shuffle, level: 9);
            yield return Make("i2", ZarrDataType.Int16, [1000], [700], Fill(1000, i => (short)(i * 37 - 9000)), shuffle, blockSize: 256);
            yield return Make("u1", ZarrDataType.UInt8, [50, 60], [20, 30], Fill(3000, i => (byte)(i % 7)), shuffle, level: 1);
            yield return Make("i8be", ZarrDataType.Int64, [40, 40], [16, 16], Fill(1600, i => i * 1_000_003L - 5), shuffle, big: true);
            if (format == 2)
            {
                yield return Make("c16", ZarrDataType.Complex128, [20, 30], [8, 8], Fill(600, i => new System.Numerics.Complex(i, -i * 0.5)), shuffle);
                yield return Make("S7", ZarrDataType.FixedBytes(7), [40], [16], Fill(40, i => "blosc"u8[..(i % 6)].ToArray()), shuffle);
            }
            yield return Make("f4big", ZarrDataType.Float32, [600, 700], [512, 512], Fill(600 * 700, i => (float)(Math.Sin(i * 1e-4) * 20 + 15)), shuffle);
        }
    }

    [Fact]
    public async Task ZarrPythonReadsTheBloscArraysWeWrite()
    {
        var python = ExternalTools.RequirePython();
        BloscFrameMatrix.RequirePythonBlosc();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("blosc-v2-out");
        try
        {
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"));
            await ZarrGroup.CreateAsync(store, "", 2, cancellationToken: ct);
            var entries = new JsonArray();
            foreach (var c in Cases(2))
            {
                var entry = await WrittenCases.WriteAsync(store, dir, c, 2, ct);
                entry["compressor"] = ((BloscCodec)c.Definition.Compressor!).ToV2Json();
                entries.Add(entry);
            }
            var manifestPath = Path.Combine(dir, "manifest.json");
            File.WriteAllText(manifestPath, new JsonObject { ["zarr_format"] = 2, ["store"] = "data.zarr", ["arrays"] = entries }.ToJsonString());
            var (code, stdout, stderr) = ExternalTools.Run(python, [ExternalTools.Script("zarr_python_v2_verify.py"), Path.Combine(dir, "data.zarr"), manifestPath], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"zarr-python found differences:\n{stdout}\n{stderr}");
            Assert.Equal(entries.Count, stdout.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task ZarritaReadsTheV3BloscArraysWeWrite()
    {
        var node = ExternalTools.RequireNode();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("blosc-v3-out");
        try
        {
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"));
            await ZarrGroup.CreateAsync(store, "", 3, cancellationToken: ct);
            var cases = Cases(3).ToList();
            var paths = new JsonArray();
            foreach (var c in cases)
            {
                await WrittenCases.WriteAsync(store, dir, c, 3, ct);
                paths.Add(c.Path);
                // what the v3 metadata says: the codec by name, every field written
                var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "data.zarr", c.Path, "zarr.json")))!;
                var codec = meta["codecs"]!.AsArray().Single(x => x!["name"]!.ToString() == "blosc")!["configuration"]!;
                Assert.Equal(["typesize", "cname", "clevel", "shuffle", "blocksize"], codec.AsObject().Select(p => p.Key));
            }
            var list = Path.Combine(dir, "paths.json");
            File.WriteAllText(list, paths.ToJsonString());
            var output = JsonNode.Parse(ExternalTools.RunOk(node, [ExternalTools.Script("zarrita_read.mjs"), Path.Combine(dir, "data.zarr"), "--all", list]))!.AsObject();
            foreach (var c in cases)
            {
                var read = output[c.Path] as JsonObject ?? throw new Xunit.Sdk.XunitException($"zarrita returned nothing for {c.Path}");
                Assert.True(read["error"] is null, $"zarrita could not read {c.Path}: {read["error"]}");
                var expected = Canonical.Load(Path.Combine(dir, "expected", c.Path + ".json"));
                var values = read["data"]!.AsArray().Select(v => v is null ? "null" : v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()).ToArray();
                Canonical.AssertEqual(expected.Values, values, c.Path);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
