using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Zarr.Cloud.Caching;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.Tests.Storage;

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>
/// Spans and metrics, collected with real <see cref="ActivityListener"/> and <see cref="MeterListener"/> instances, from a
/// store stack built as <see cref="StoreResolver"/> builds it. Runs alone, so that the counts are this test's.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A backend of its own type, so that telemetry tagged with its name is this test's: "telemetryprobe".</summary>
    private sealed class TelemetryProbeStore() : DelegatingStore(new MemoryStore());

    public TelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ZarrCloudTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _spans.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ZarrCloudTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var t in tags) d[t.Key] = t.Value;
        _measurements.Enqueue((instrument.Name, value, d));
    }

    private double Sum(string instrument, params (string Key, string Value)[] tags) => _measurements
        .Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
        .Sum(m => m.Value);

    private int CountOf(string instrument, params (string Key, string Value)[] tags) => _measurements
        .Count(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)));

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private static InstrumentedStore FindInstrumented(IAsyncStore store)
    {
        while (store is DelegatingStore d)
        {
            if (d is InstrumentedStore i) return i;
            store = d.Inner;
        }
        throw new InvalidOperationException("no InstrumentedStore in the stack");
    }

    [Fact]
    public async Task ArrayAndStoreSpansAndStoreCountersCarryTheirTags()
    {
        var store = StoreStack.Build(new TelemetryProbeStore(), new StoreOpenOptions());
        var counts = FindInstrumented(store);
        var path = "t" + Guid.NewGuid().ToString("N");
        var array = await ZarrArray.CreateAsync(store, path, new ZarrArrayDefinition { Shape = [20], ChunkShape = [10], DataType = ZarrDataType.Float64 }, null, Ct);
        await array.WriteAsync(new NDArray<double>(Enumerable.Range(0, 20).Select(i => (double)i).ToArray(), 20), Ct);
        var read = await array.ReadAsync<double>(new Selection(5..20), Ct);
        Assert.Equal(19.0, read.Data[^1]);
        Assert.Null(await store.GetAsync(path + "/missing", default, Ct));

        var write = Assert.Single(_spans, s => s.OperationName == "zarr.array.write" && (string?)s.GetTagItem("zarr.array.path") == path);
        Assert.Equal(2, write.GetTagItem("zarr.chunks"));
        var arrayRead = Assert.Single(_spans, s => s.OperationName == "zarr.array.read" && (string?)s.GetTagItem("zarr.array.path") == path);
        Assert.Equal(2, arrayRead.GetTagItem("zarr.chunks"));
        Assert.Equal("float64", arrayRead.GetTagItem("zarr.dtype"));

        var gets = _spans.Where(s => s.OperationName == "zarr.store.get" && (string?)s.GetTagItem("zarr.backend") == "telemetryprobe").ToList();
        Assert.Equal(counts.Reads, gets.Count);
        Assert.Contains(gets, s => (string?)s.GetTagItem("zarr.key") == $"{path}/c/1" && (string?)s.GetTagItem("zarr.status") == "ok");
        Assert.Contains(gets, s => (string?)s.GetTagItem("zarr.key") == $"{path}/missing" && (string?)s.GetTagItem("zarr.status") == "not_found");
        Assert.Contains(gets, s => s.GetTagItem("zarr.range") is string); // ExistsAsync reads a zero-length range
        Assert.All(gets, s => Assert.Equal(ActivityKind.Client, s.Kind));
        Assert.Equal(counts.Writes, _spans.Count(s => s.OperationName == "zarr.store.set" && (string?)s.GetTagItem("zarr.backend") == "telemetryprobe"));

        var backend = ("zarr.backend", "telemetryprobe");
        Assert.Equal(counts.Reads, Sum("zarr.store.requests", backend, ("zarr.operation", "get")));
        Assert.Equal(counts.Writes, Sum("zarr.store.requests", backend, ("zarr.operation", "set")));
        Assert.Equal(counts.BytesRead, Sum("zarr.store.bytes_read", backend));
        Assert.Equal(counts.BytesWritten, Sum("zarr.store.bytes_written", backend));
        Assert.Equal(counts.Requests, CountOf("zarr.store.request.duration", backend));
        Assert.True(Sum("zarr.array.chunks_decoded") >= 2);
    }

    [Fact]
    public async Task CacheHitsAndMissesAreCountedPerCache()
    {
        var store = StoreStack.Build(new TelemetryProbeStore(), new StoreOpenOptions());
        var cache = new ChunkCache(1 << 20);
        var options = new ZarrOpenOptions { ChunkCache = cache };
        var array = await ZarrArray.CreateAsync(store, "c", new ZarrArrayDefinition { Shape = [20], ChunkShape = [10], DataType = ZarrDataType.Int32 }, options, Ct);
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(0, 20).ToArray(), 20), Ct);
        await array.ReadAsync<int>(new Selection(0..20), Ct);
        await array.ReadAsync<int>(new Selection(0..20), Ct);
        Assert.Equal(2, cache.Misses);
        Assert.Equal(2, cache.Hits);
        Assert.Equal(cache.Hits, Sum("zarr.cache.hits", ("zarr.cache", "chunk")));
        Assert.Equal(cache.Misses, Sum("zarr.cache.misses", ("zarr.cache", "chunk")));

        var metadata = (MetadataCachingStore)store;
        await ZarrArray.OpenAsync(store, "c", options, Ct); // the first read after the write: a miss
        await ZarrArray.OpenAsync(store, "c", options, Ct);
        Assert.True(metadata.Hits > 0);
        Assert.Equal(metadata.Hits, Sum("zarr.cache.hits", ("zarr.cache", "metadata")));
        Assert.Equal(metadata.Misses, Sum("zarr.cache.misses", ("zarr.cache", "metadata")));

        var sharded = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition { Shape = [16], ChunkShape = [4], ShardShape = [16], DataType = ZarrDataType.Int32 }, null, Ct);
        await sharded.WriteAsync(new NDArray<int>(Enumerable.Range(0, 16).ToArray(), 16), Ct);
        await sharded.ReadAsync<int>(new Selection(0..4), Ct);
        await sharded.ReadAsync<int>(new Selection(4..8), Ct);
        Assert.Equal(1, sharded.ShardIndexes.Misses);
        Assert.Equal(1, sharded.ShardIndexes.Hits);
        Assert.Equal(1, Sum("zarr.cache.hits", ("zarr.cache", "shard_index")));
        Assert.Equal(1, Sum("zarr.cache.misses", ("zarr.cache", "shard_index")));
    }
}
