using System.Diagnostics.Metrics;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>Collects <c>zarr.store.retries</c> measurements while alive (every store of the process: filter by backend).</summary>
public sealed class RetryMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(long Value, Dictionary<string, object?> Tags)> _measurements = [];

    public RetryMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // By name: touching ZarrCloudTelemetry here could run its static constructor inside this callback.
            if (instrument.Meter.Name == ZarrCloudTelemetry.Name && instrument.Name == "zarr.store.retries") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var d = new Dictionary<string, object?>();
            foreach (var t in tags) d[t.Key] = t.Value;
            lock (_measurements) _measurements.Add((value, d));
        });
        _listener.Start();
    }

    /// <summary>Retries counted for <paramref name="backend"/>.</summary>
    public long RetriesOf(string backend)
    {
        lock (_measurements) return _measurements.Where(m => Equals(m.Tags.GetValueOrDefault("zarr.backend"), backend)).Sum(m => m.Value);
    }

    /// <summary>The status tags of <paramref name="backend"/>'s retries.</summary>
    public IReadOnlyList<object?> StatusesOf(string backend)
    {
        lock (_measurements)
            return _measurements.Where(m => Equals(m.Tags.GetValueOrDefault("zarr.backend"), backend)).Select(m => m.Tags.GetValueOrDefault("http.response.status_code")).ToList();
    }

    public void Dispose() => _listener.Dispose();
}
