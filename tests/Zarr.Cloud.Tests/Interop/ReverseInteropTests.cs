using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>What this SDK writes, read back by code nobody here wrote: zarr-python 2.13 (v2) and zarrita.js (v3).</summary>
public class ReverseInteropTests
{
    [Fact]
    public async Task ZarrPythonReadsTheV2ArraysWeWrite()
    {
        var python = ExternalTools.RequirePython();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("v2-out");
        try
        {
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"));
            var root = await ZarrGroup.CreateAsync(store, "", 2, new JsonObject { ["title"] = "written by Zarr.Cloud" }, cancellationToken: ct);
            var entries = new JsonArray();
            foreach (var c in WrittenCases.V2()) entries.Add(await WrittenCases.WriteAsync(store, dir, c, 2, ct));
            // A nested group with a consolidated hierarchy.
            var sub = await root.CreateGroupAsync("nested/deeper", new JsonObject { ["level"] = 2 }, cancellationToken: ct);
            var nested = WrittenCases.V2().First() with { Path = "nested/deeper/b1" };
            entries.Add(await WrittenCases.WriteAsync(store, dir, nested, 2, ct));
            await root.ConsolidateMetadataAsync(ct);
            var manifest = new JsonObject { ["zarr_format"] = 2, ["store"] = "data.zarr", ["arrays"] = entries, ["groups"] = new JsonArray(new JsonObject { ["path"] = "", ["attributes"] = new JsonObject { ["title"] = "written by Zarr.Cloud" } }, new JsonObject { ["path"] = "nested/deeper", ["attributes"] = new JsonObject { ["level"] = 2 } }) };
            var manifestPath = Path.Combine(dir, "manifest.json");
            File.WriteAllText(manifestPath, manifest.ToJsonString());
            var (code, stdout, stderr) = ExternalTools.Run(python, [ExternalTools.Script("zarr_python_v2_verify.py"), Path.Combine(dir, "data.zarr"), manifestPath], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"zarr-python found differences:\n{stdout}\n{stderr}");
            var ok = stdout.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal));
            Assert.Equal(entries.Count + 2, ok);

            // consolidated metadata as zarr-python reads it
            var consolidatedCheck = ExternalTools.RunOk(python, ["-c", $"import zarr; g = zarr.open_consolidated({Py(Path.Combine(dir, "data.zarr"))}); print(sorted(g['nested/deeper'].attrs.items()), g['nested/deeper/b1'].shape)"]);
            Assert.Contains("[('level', 2)] (7, 11)", consolidatedCheck);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    [Fact]
    public async Task ZarritaReadsTheV3ArraysWeWrite()
    {
        var node = ExternalTools.RequireNode();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("v3-out");
        try
        {
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"));
            await ZarrGroup.CreateAsync(store, "", 3, new JsonObject { ["title"] = "written by Zarr.Cloud" }, cancellationToken: ct);
            var cases = WrittenCases.V3().ToList();
            var paths = new JsonArray();
            foreach (var c in cases)
            {
                await WrittenCases.WriteAsync(store, dir, c, 3, ct);
                paths.Add(c.Path);
            }
            var list = Path.Combine(dir, "paths.json");
            File.WriteAllText(list, paths.ToJsonString());
            var output = JsonNode.Parse(ExternalTools.RunOk(node, [ExternalTools.Script("zarrita_read.mjs"), Path.Combine(dir, "data.zarr"), "--all", list]))!.AsObject();
            foreach (var c in cases)
            {
                var read = output[c.Path] as JsonObject ?? throw new Xunit.Sdk.XunitException($"zarrita returned nothing for {c.Path}");
                Assert.True(read["error"] is null, $"zarrita could not read {c.Path}: {read["error"]}");
                var expected = Canonical.Load(Path.Combine(dir, "expected", c.Path + ".json"));
                Assert.Equal(expected.Shape, read["shape"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray());
                var values = read["data"]!.AsArray().Select(v => v is null ? "null" : v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()).ToArray();
                Canonical.AssertEqual(expected.Values, values, c.Path);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task WeReadTheV3ArraysZarritaWrites()
    {
        var node = ExternalTools.RequireNode();
        var ct = TestContext.Current.CancellationToken;
        var dir = ExternalTools.NewTempDir("zarrita-in");
        try
        {
            ExternalTools.RunOk(node, [ExternalTools.Script("zarrita_write.mjs"), dir]);
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;
            var store = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
            int compared = 0;
            foreach (var entry in manifest["arrays"]!.AsArray())
            {
                var path = entry!["path"]!.ToString();
                var codecs = entry["codecs"]!.AsArray().Select(c => c!.ToString()).ToList();
                if (!codecs.All(Zarr.Cloud.Codecs.CodecRegistry.Default.IsKnown))
                {
                    var e = await Assert.ThrowsAsync<Zarr.Cloud.Metadata.ZarrFormatException>(() => ZarrArray.OpenAsync(store, path, cancellationToken: ct));
                    Assert.Contains("is not supported", e.Message);
                    continue;
                }
                var array = await ZarrArray.OpenAsync(store, path, cancellationToken: ct);
                var expected = Canonical.Load(Path.Combine(dir, entry["expected"]!.ToString()));
                var actual = Canonical.Of(await array.ReadAsync(Selection.All, ct));
                Assert.Equal(expected.Shape, actual.Shape);
                Canonical.AssertEqual(expected.Values, actual.Values, path);
                if (entry["attributes"] is JsonObject attrs) Assert.True(JsonNode.DeepEquals(attrs, array.Attributes), $"{path}: attributes {array.Attributes.ToJsonString()}");
                compared++;
            }
            Assert.True(compared >= 18, $"only {compared} zarrita arrays compared");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
