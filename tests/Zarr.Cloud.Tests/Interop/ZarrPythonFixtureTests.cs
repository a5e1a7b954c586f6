using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>Runs tests/interop/zarr_python_v2_fixtures.py (Debian's zarr-python 2.13) once per test run.</summary>
public sealed class ZarrPythonFixtures : IDisposable
{
    private readonly Lazy<(string Dir, JsonObject Manifest)> _generated;

    public ZarrPythonFixtures()
    {
        _generated = new Lazy<(string, JsonObject)>(() =>
        {
            var python = ExternalTools.RequirePython();
            var dir = ExternalTools.NewTempDir("zp2");
            ExternalTools.RunOk(python, [ExternalTools.Script("zarr_python_v2_fixtures.py"), dir]);
            return (dir, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!);
        });
    }

    public (string Dir, JsonObject Manifest) Get() => _generated.Value;

    public void Dispose()
    {
        if (_generated.IsValueCreated) Directory.Delete(_generated.Value.Dir, recursive: true);
    }
}

/// <summary>Arrays and groups written by zarr-python 2.13 (every dtype, order, separator, fill value and codec) read value by value.</summary>
public class ZarrPythonFixtureTests(ZarrPythonFixtures fixtures) : IClassFixture<ZarrPythonFixtures>
{
    internal static bool Supported(JsonObject entry)
    {
        var zarray = entry["zarray"]!;
        var ids = new List<string>();
        if (zarray["compressor"] is JsonObject c) ids.Add(c["id"]!.ToString());
        if (zarray["filters"] is JsonArray f) ids.AddRange(f.Select(x => x!["id"]!.ToString()));
        return ids.All(i => i == "vlen-utf8" || CodecRegistry.Default.IsKnown("numcodecs." + i));
    }

    [Fact]
    public async Task EveryArrayReadsAsZarrPythonReadsIt()
    {
        var (dir, manifest) = fixtures.Get();
        var ct = TestContext.Current.CancellationToken;
        var store = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
        int compared = 0;
        var failures = new List<string>();
        foreach (var entry in manifest["arrays"]!.AsArray().Cast<JsonObject>())
        {
            var path = entry["path"]!.ToString();
            try
            {
                if (!Supported(entry))
                {
                    var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, path, cancellationToken: ct));
                    Assert.Contains("is not supported", e.Message);
                    continue;
                }
                var array = await ZarrArray.OpenAsync(store, path, cancellationToken: ct);
                Assert.Equal(entry["dtype"]!.ToString(), array.DataType.ToV2String());
                var expected = Canonical.Load(Path.Combine(dir, entry["expected"]!.ToString()));
                var actual = Canonical.Of(await array.ReadAsync(Selection.All, ct));
                Assert.Equal(expected.Shape, actual.Shape);
                Canonical.AssertEqual(expected.Values, actual.Values, path);
                Assert.True(JsonNode.DeepEquals(entry["attributes"] ?? new JsonObject(), array.Attributes), $"{path}: attributes {array.Attributes.ToJsonString()}");
                // A strided read agrees with the same elements of the whole.
                if (array.Rank >= 1 && array.Shape[0] > 2)
                {
                    var part = Canonical.Of(await array.ReadAsync(new Selection(new Slice(1, null, 2)), ct));
                    var rowLength = actual.Values.Length / actual.Shape[0];
                    var want = Enumerable.Range(0, actual.Shape[0]).Where(r => r >= 1 && (r - 1) % 2 == 0).SelectMany(r => actual.Values.Skip(r * rowLength).Take(rowLength)).ToArray();
                    Canonical.AssertEqual(want, part.Values, path + "[1::2]");
                }
                compared++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{path}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared >= 45, $"only {compared} arrays compared");
    }

    [Fact]
    public async Task GroupsAttributesAndConsolidatedMetadata()
    {
        var (dir, manifest) = fixtures.Get();
        var ct = TestContext.Current.CancellationToken;
        var store = new InstrumentedStore(new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true));
        foreach (var g in manifest["groups"]!.AsArray().Cast<JsonObject>())
        {
            var path = g["path"]!.ToString();
            var group = await ZarrGroup.OpenAsync(store, path, cancellationToken: ct);
            Assert.Equal(2, group.ZarrFormat);
            Assert.True(JsonNode.DeepEquals(g["attributes"] ?? new JsonObject(), group.Attributes), $"group '{path}': {group.Attributes.ToJsonString()}");
            Assert.Equal(g["consolidated"]!.GetValue<bool>(), group.IsConsolidated);
        }
        var root = await ZarrGroup.OpenAsync(store, "", cancellationToken: ct);
        var children = await root.ListChildrenAsync(ct);
        Assert.Contains("a", children);
        Assert.Contains("consolidated", children);
        Assert.Contains("f4.zstd1.fill_nan.C.dot", children);

        store.Reset();
        var consolidated = await ZarrGroup.OpenAsync(store, "consolidated", cancellationToken: ct);
        long afterOpen = store.Reads;
        var names = await consolidated.ListChildrenAsync(ct);
        Assert.Equal(2, names.Count);
        foreach (var n in names) await consolidated.OpenArrayAsync(n, ct);
        Assert.Equal(afterOpen, store.Reads); // children come from .zmetadata: no request
        Assert.True(afterOpen <= 5, $"opening a consolidated v2 group took {afterOpen} reads");
    }
}
