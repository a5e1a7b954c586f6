using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>Runs tests/interop/numcodecs_fixtures.py (zarr-python 2.13, numcodecs 0.11) once per test run.</summary>
public sealed class NumcodecsFixtures : IDisposable
{
    private readonly Lazy<(string Dir, JsonObject Manifest)> _generated = new(() =>
    {
        var python = ExternalTools.RequirePython();
        var dir = ExternalTools.NewTempDir("numcodecs");
        ExternalTools.RunOk(python, ["-W", "ignore", ExternalTools.Script("numcodecs_fixtures.py"), dir]);
        return (dir, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!);
    });

    public (string Dir, JsonObject Manifest) Get() => _generated.Value;

    public void Dispose()
    {
        if (_generated.IsValueCreated) Directory.Delete(_generated.Value.Dir, recursive: true);
    }
}

/// <summary>
/// Arrays zarr-python 2.13 wrote with each numcodecs compressor, filter and checksum (several dtypes each, C and F
/// order, partial edge chunks, unwritten chunks) read value by value as zarr-python reads them.
/// </summary>
public class NumcodecsFixtureTests(NumcodecsFixtures fixtures) : IClassFixture<NumcodecsFixtures>
{
    [Fact]
    public async Task EveryArrayReadsAsZarrPythonReadsIt()
    {
        var (dir, manifest) = fixtures.Get();
        var ct = TestContext.Current.CancellationToken;
        var store = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
        var failures = new List<string>();
        var ids = new HashSet<string>();
        int compared = 0;
        foreach (var entry in manifest["arrays"]!.AsArray().Cast<JsonObject>())
        {
            var path = entry["path"]!.ToString();
            try
            {
                var array = await ZarrArray.OpenAsync(store, path, cancellationToken: ct);
                var expected = Canonical.Load(Path.Combine(dir, entry["expected"]!.ToString()));
                var actual = Canonical.Of(await array.ReadAsync(Selection.All, ct));
                Assert.Equal(expected.Shape, actual.Shape);
                Canonical.AssertEqual(expected.Values, actual.Values, path);
                if (entry["compressor"] is JsonValue c) ids.Add(c.ToString());
                foreach (var f in entry["filters"]!.AsArray()) ids.Add(f!.ToString());
                compared++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add($"{path}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared >= 70, $"only {compared} arrays compared");
        string[] all = ["lz4", "bz2", "lzma", "zlib", "zstd", "crc32", "adler32", "shuffle", "delta", "fixedscaleoffset", "quantize", "bitround", "packbits", "categorize", "astype"];
        Assert.Empty(all.Except(ids));
    }

    [Theory]
    [InlineData("v2", "1d.contiguous.bitround.f4")]
    [InlineData("v2", "1d.contiguous.delta.i2")]
    [InlineData("v2", "1d.contiguous.delta.shuffle.i2")]
    [InlineData("v2", "1d.contiguous.fixedscaleoffset.f4")]
    [InlineData("v2", "1d.contiguous.lz4.i2")]
    [InlineData("v2", "1d.contiguous.shuffle.i2")]
    [InlineData("v3", "1d.contiguous.delta.i4")]
    [InlineData("v3", "3d.contiguous.delta.i4.mixed")]
    public async Task TheSharedZarritaFixturesWithNumcodecsRead(string version, string name)
    {
        // ZarritaFixtureTests compares every shared fixture whose codecs are known; these are the ones this work made known.
        var root = SharedFixtures.Require();
        var ct = TestContext.Current.CancellationToken;
        var store = new FileSystemStore(Path.Combine(root, version, "data.zarr"), readOnly: true);
        var array = await ZarrArray.OpenAsync(store, name, cancellationToken: ct);
        var expected = Canonical.Load(Path.Combine(root, version, "expected", name + ".npy"));
        var actual = Canonical.Of(await array.ReadAsync(Selection.All, ct));
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Values, actual.Values);
    }

    [Fact]
    public async Task PartialReadsOfFilteredArraysAgreeWithTheWhole()
    {
        var (dir, manifest) = fixtures.Get();
        var ct = TestContext.Current.CancellationToken;
        var store = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
        foreach (var path in new[] { "delta.i2.F", "packbits.b1.F.lz4", "fso.f8.u1.lzma", "categorize.O.u1" })
        {
            var array = await ZarrArray.OpenAsync(store, path, cancellationToken: ct);
            var whole = Canonical.Of(await array.ReadAsync(Selection.All, ct));
            var part = Canonical.Of(await array.ReadAsync(new Selection(new Slice(1, null, 2)), ct));
            int rowLength = whole.Values.Length / whole.Shape[0];
            var want = Enumerable.Range(0, whole.Shape[0]).Where(r => r % 2 == 1).SelectMany(r => whole.Values.Skip(r * rowLength).Take(rowLength)).ToArray();
            Canonical.AssertEqual(want, part.Values, path + "[1::2]");
        }
    }
}
