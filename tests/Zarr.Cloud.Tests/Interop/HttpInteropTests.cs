using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>
/// What zarr-python wrote, served by nginx and read over HTTP by URL, value by value against the same read from
/// the local folder: the fixtures of tests/interop/zarr_python_v2_fixtures.py and the sample dataset samples/data/sst.zarr.
/// </summary>
public sealed class HttpInteropTests(NginxFixture nginx, ZarrPythonFixtures fixtures) : IClassFixture<NginxFixture>, IClassFixture<ZarrPythonFixtures>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertSameValuesAsync(ZarrArray local, ZarrArray remote, Selection selection, string what)
    {
        var expected = Canonical.Of(await local.ReadAsync(selection, Ct));
        var actual = Canonical.Of(await remote.ReadAsync(selection, Ct));
        Assert.Equal(expected.Shape, actual.Shape);
        Canonical.AssertEqual(expected.Values, actual.Values, what);
    }

    [Fact]
    public async Task EveryZarrPythonArrayReadsOverHttpAsItReadsFromDisk()
    {
        nginx.Require();
        var (dir, manifest) = fixtures.Get();
        var url = nginx.Link($"zp2-{Guid.NewGuid():N}", Path.Combine(dir, "data.zarr"));
        var local = new FileSystemStore(Path.Combine(dir, "data.zarr"), readOnly: true);
        int compared = 0;
        foreach (var entry in manifest["arrays"]!.AsArray().Cast<JsonObject>())
        {
            var path = entry["path"]!.ToString();
            if (!ZarrPythonFixtureTests.Supported(entry)) continue;
            // By URL, as a user opens it: StoreResolver makes the HttpStore.
            var remote = await ZarrArray.OpenAsync(new Uri(url, path).ToString(), cancellationToken: Ct);
            Assert.IsType<HttpStore>(remote.Store.GetBackend());
            var mine = await ZarrArray.OpenAsync(local, path, cancellationToken: Ct);
            await AssertSameValuesAsync(mine, remote, Selection.All, path);
            if (mine.Rank >= 1 && mine.Shape[0] > 2)
                await AssertSameValuesAsync(mine, remote, new Selection(new Slice(1, null, 2)), path + "[1::2]");
            compared++;
        }
        Assert.True(compared >= 45, $"only {compared} arrays compared");
    }

    [Fact]
    public async Task AConsolidatedGroupListsItsChildrenOverHttpAndAnUnconsolidatedOneSaysWhy()
    {
        nginx.Require();
        var (dir, _) = fixtures.Get();
        var url = nginx.Link($"zp2-{Guid.NewGuid():N}", Path.Combine(dir, "data.zarr"));
        var store = new InstrumentedStore(new HttpStore(url));
        var consolidated = await ZarrGroup.OpenAsync(store, "consolidated", cancellationToken: Ct);
        Assert.True(consolidated.IsConsolidated);
        long afterOpen = store.Reads;
        var names = await consolidated.ListChildrenAsync(Ct);
        Assert.Equal(2, names.Count);
        foreach (var n in names) await consolidated.OpenArrayAsync(n, Ct);
        Assert.Equal(afterOpen, store.Reads);

        var root = await ZarrGroup.OpenAsync(store, "", cancellationToken: Ct);
        Assert.False(root.IsConsolidated);
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => root.ListChildrenAsync(Ct));
        Assert.Contains("consolidated metadata", e.Message);
    }

    [Fact]
    public async Task TheSampleSstDatasetReadsOverHttpAsFromDisk()
    {
        nginx.Require();
        var folder = Path.Combine(ServerProcess.RepoRoot, "samples", "data", "sst.zarr");
        var url = nginx.Link($"sst-{Guid.NewGuid():N}", folder);
        var remote = await ZarrGroup.OpenAsync(url.ToString(), cancellationToken: Ct);
        var local = await ZarrGroup.OpenAsync(folder, cancellationToken: Ct);
        Assert.True(remote.IsConsolidated);
        Assert.Equal(await local.ListChildrenAsync(Ct), await remote.ListChildrenAsync(Ct));
        Assert.True(JsonNode.DeepEquals(local.Attributes, remote.Attributes));
        foreach (var name in await remote.ListChildrenAsync(Ct))
        {
            var l = await local.OpenArrayAsync(name, Ct);
            var r = await remote.OpenArrayAsync(name, Ct);
            Assert.Equal(l.Shape, r.Shape);
            await AssertSameValuesAsync(l, r, Selection.All, name);
        }
        var sstLocal = await local.OpenArrayAsync("analysed_sst", Ct);
        var sstRemote = await remote.OpenArrayAsync("analysed_sst", Ct);
        // A time series at one point and a strided map, as samples/ReadSst reads them.
        await AssertSameValuesAsync(sstLocal, sstRemote, new Selection(.., 45, 90), "time series");
        await AssertSameValuesAsync(sstLocal, sstRemote, new Selection(3, new Slice(0, null, 4), new Slice(5, 170, 7)), "strided map");
    }
}
