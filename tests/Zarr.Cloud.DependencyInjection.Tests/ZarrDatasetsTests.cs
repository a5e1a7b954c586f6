using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zarr.Cloud.Caching;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.DependencyInjection.Tests;

public sealed class ZarrDatasetsTests
{
    [Fact]
    public async Task Reads_the_same_values_as_a_direct_open()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", TestServices.SamplePath));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var array = await datasets.OpenArrayAsync("sst", "analysed_sst", TestContext.Current.CancellationToken);
        var direct = await (await ZarrGroup.OpenAsync(TestServices.SamplePath, cancellationToken: TestContext.Current.CancellationToken))
            .OpenArrayAsync("analysed_sst", TestContext.Current.CancellationToken);
        Assert.Equal([8L, 90, 180], array.Shape);
        var selection = Selection.Parse("1:7,10:80:3,::5");
        var expected = await direct.ReadAsync<float>(selection, TestContext.Current.CancellationToken);
        var actual = await array.ReadAsync<float>(selection, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Data, actual.Data);
        Assert.Contains(actual.Data, v => !float.IsNaN(v));
    }

    [Fact]
    public async Task A_dataset_is_opened_once_and_shared()
    {
        var (url, counter) = CountedStores.Add(await CountedStores.SampleAsync());
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("d", url));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var ct = TestContext.Current.CancellationToken;
        var opens = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => datasets.OpenAsync(i % 2 == 0 ? "d" : "D", ct).AsTask()));
        var requestsForOneOpen = counter.Reads;
        Assert.True(requestsForOneOpen > 0);
        Assert.All(opens, n => Assert.Same(opens[0], n));
        Assert.Same(opens[0], await datasets.OpenAsync("d", ct));
        Assert.IsType<ZarrGroup>(opens[0]);
        Assert.Equal(requestsForOneOpen, counter.Reads);

        var arrays = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => datasets.OpenArrayAsync("d", "temp", ct).AsTask()));
        Assert.All(arrays, a => Assert.Same(arrays[0], a));
        Assert.Same(arrays[0], await datasets.OpenArrayAsync("d", "/temp/", ct));
        Assert.Equal(requestsForOneOpen + 1, counter.Reads); // temp/zarr.json, once
    }

    [Fact]
    public async Task An_unknown_dataset_is_a_KeyNotFoundException_naming_it()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", TestServices.SamplePath));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await datasets.OpenAsync("chl", TestContext.Current.CancellationToken));
        Assert.Contains("'chl'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'sst'", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await datasets.OpenArrayAsync("chl", "x", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Paths_that_hold_no_array_are_errors()
    {
        var (url, _) = CountedStores.Add(await CountedStores.SampleAsync());
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("group", url));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await datasets.OpenArrayAsync("group", "nope", ct));
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await datasets.OpenArrayAsync("group", "", ct));
        Assert.Contains("is a group", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_array_dataset_opens_with_an_empty_path_only()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", Path.Combine(TestServices.SamplePath, "analysed_sst")));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var ct = TestContext.Current.CancellationToken;
        var array = await datasets.OpenArrayAsync("sst", "", ct);
        Assert.Same(await datasets.OpenAsync("sst", ct), array);
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await datasets.OpenArrayAsync("sst", "lat", ct));
        Assert.Contains("is an array", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_open_is_not_remembered()
    {
        var backend = new MemoryStore();
        var (url, _) = CountedStores.Add(backend);
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("late", url));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await datasets.OpenAsync("late", ct));
        await ZarrGroup.CreateAsync(backend, "", cancellationToken: ct);
        Assert.IsType<ZarrGroup>(await datasets.OpenAsync("late", ct));
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_cancel_the_shared_open()
    {
        var gated = new GatedStore(await CountedStores.SampleAsync());
        var (url, counter) = CountedStores.Add(gated);
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("d", url));
        var datasets = sp.GetRequiredService<IZarrDatasets>();
        using var cancel = new CancellationTokenSource();
        var waiting = datasets.OpenAsync("d", cancel.Token).AsTask();
        var other = datasets.OpenAsync("d", TestContext.Current.CancellationToken).AsTask();
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gated.Open();
        var node = await other;
        Assert.IsType<ZarrGroup>(node);
        Assert.Same(node, await datasets.OpenAsync("d", TestContext.Current.CancellationToken));
        // The requests of one open (its one round of metadata probes), once for all three callers.
        var (referenceUrl, reference) = CountedStores.Add(await CountedStores.SampleAsync());
        using var single = TestServices.Build(s => s.AddZarrCloud().AddDataset("r", referenceUrl));
        await single.GetRequiredService<IZarrDatasets>().OpenAsync("r", TestContext.Current.CancellationToken);
        Assert.True(reference.Reads > 0);
        Assert.Equal(reference.Reads, counter.Reads);
    }

    [Fact]
    public async Task Nodes_share_the_singleton_chunk_cache_and_the_container_logger()
    {
        var logs = new RecordingLoggerProvider();
        using var sp = TestServices.Build(s =>
        {
            s.AddLogging(b => b.AddProvider(logs));
            s.AddZarrCloud(o => o.ChunkCacheBytes = 1 << 20).AddDataset("sst", TestServices.SamplePath);
        });
        var node = await sp.GetRequiredService<IZarrDatasets>().OpenAsync("sst", TestContext.Current.CancellationToken);
        Assert.Same(sp.GetRequiredService<ChunkCache>(), node.Options.ChunkCache);
        Assert.NotNull(node.Options.Store.Logger);
        Assert.Contains(logs.Messages, m => m.Category == "Zarr.Cloud.Datasets" && m.Text.Contains("Opened Zarr dataset sst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_open_is_logged_with_its_exception()
    {
        var logs = new RecordingLoggerProvider();
        using var sp = TestServices.Build(s =>
        {
            s.AddLogging(b => b.AddProvider(logs));
            s.AddZarrCloud().AddDataset("gone", Path.Combine(Path.GetTempPath(), "zarrcloud-none-" + Guid.NewGuid().ToString("N")));
        });
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(async () => await sp.GetRequiredService<IZarrDatasets>().OpenAsync("gone", TestContext.Current.CancellationToken));
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("gone", StringComparison.Ordinal) && m.Exception is ZarrNodeNotFoundException);
    }
}
