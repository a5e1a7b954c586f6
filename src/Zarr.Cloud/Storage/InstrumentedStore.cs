using System.Diagnostics;
using System.Runtime.CompilerServices;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Counts the requests that reach the wrapped store and the bytes they return: what <c>zarr --stats</c>
/// prints, and what tests use to prove how many round trips a read costs. Built with a backend name (as
/// <see cref="StoreResolver"/> does, right above the backend), it also emits a span per request
/// (<c>zarr.store.get</c>, <c>zarr.store.set</c>, <c>zarr.store.delete</c>, <c>zarr.store.list</c>) and the
/// <c>zarr.store.*</c> instruments of <see cref="ZarrCloudTelemetry"/>, tagged <c>zarr.backend</c>.
/// </summary>
public sealed class InstrumentedStore : DelegatingStore
{
    private readonly string? _backend;
    private long _reads;
    private long _bytesRead;
    private long _writes;
    private long _bytesWritten;
    private long _deletes;
    private long _lists;

    /// <summary>Wraps <paramref name="inner"/>, counting only (no spans or metrics).</summary>
    /// <param name="inner">The wrapped store.</param>
    public InstrumentedStore(IAsyncStore inner) : base(inner) { }

    /// <summary>Wraps <paramref name="inner"/>, counting and emitting spans and metrics tagged <c>zarr.backend</c>=<paramref name="backend"/>.</summary>
    /// <param name="inner">The wrapped store (the backend).</param>
    /// <param name="backend">The backend's name in telemetry, e.g. "s3" or "filesystem".</param>
    public InstrumentedStore(IAsyncStore inner, string backend) : base(inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(backend);
        _backend = backend;
    }

    /// <summary>The name telemetry uses for a backend store: its type's name without "Store", in lower case ("filesystem", "http", "s3").</summary>
    /// <param name="backend">The backend store.</param>
    public static string BackendName(IAsyncStore backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var name = backend.GetType().Name;
        if (name.EndsWith("Store", StringComparison.Ordinal) && name.Length > 5) name = name[..^5];
        return name.ToLowerInvariant();
    }
    /// <summary>How <see cref="GetRangesAsync"/> merges ranges before it forwards them (so that <see cref="Reads"/> counts requests, not ranges).</summary>
    public CoalescingOptions Coalescing { get; set; } = CoalescingOptions.Default;

    /// <summary>Read requests that reached the wrapped store (ranges merged by <see cref="GetRangesAsync"/> count once).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Bytes returned by reads.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Write requests.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Bytes written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Delete requests.</summary>
    public long Deletes => Interlocked.Read(ref _deletes);

    /// <summary>List calls.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>All requests: reads, writes, deletes and lists.</summary>
    public long Requests => Reads + Writes + Deletes + Lists;

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _bytesRead, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _bytesWritten, 0);
        Interlocked.Exchange(ref _deletes, 0);
        Interlocked.Exchange(ref _lists, 0);
    }

    /// <inheritdoc />
    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        var v = await TrackAsync("get", key, range.IsAll ? null : range.ToString(), 1, () => Inner.GetAsync(key, range, cancellationToken),
            v => (v is null ? "not_found" : "ok", v?.Length ?? 0)).ConfigureAwait(false);
        if (v is not null) Interlocked.Add(ref _bytesRead, v.Length);
        return v;
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        return await StoreExtensions.ReadPlannedAsync(key, ranges, Coalescing, async (merged, ct) =>
        {
            Interlocked.Add(ref _reads, merged.Count);
            var values = await TrackAsync("get", key, string.Join(",", merged), merged.Count, () => Inner.GetRangesAsync(key, merged, ct),
                values => (values.All(v => v is null) ? "not_found" : "ok", values.Sum(v => (long)(v?.Length ?? 0)))).ConfigureAwait(false);
            foreach (var v in values) if (v is not null) Interlocked.Add(ref _bytesRead, v.Length);
            return values;
        }, Inner.ToString() ?? "store", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytesWritten, value.Length);
        await TrackAsync("set", key, null, 1, async () => { await Inner.SetAsync(key, value, cancellationToken).ConfigureAwait(false); return true; },
            _ => ("ok", 0), value.Length).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deletes);
        await TrackAsync("delete", key, null, 1, async () => { await Inner.DeleteAsync(key, cancellationToken).ConfigureAwait(false); return true; },
            _ => ("ok", 0)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        using var request = Begin("list", prefix, null);
        var keys = Inner.ListAsync(prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await keys.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    request?.Failed(e);
                    throw;
                }
                if (!more) break;
                yield return keys.Current;
            }
            request?.Succeeded("ok");
        }
        finally
        {
            await keys.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return TrackAsync("list", prefix, null, 1, () => Inner.ListDirAsync(prefix, cancellationToken), _ => ("ok", 0));
    }

    /// <summary>Starts the telemetry of one request (nothing when this store was built without a backend name).</summary>
    private BackendRequest? Begin(string operation, string key, string? range, int requests = 1)
        => _backend is null ? null : new BackendRequest(_backend, operation, key, range, requests);

    /// <summary>Runs one request with its telemetry: <paramref name="outcome"/> names the status and the bytes read of a result.</summary>
    private async ValueTask<T> TrackAsync<T>(string operation, string key, string? range, int requests, Func<ValueTask<T>> call, Func<T, (string Status, long BytesRead)> outcome, long bytesWritten = 0)
    {
        if (_backend is null) return await call().ConfigureAwait(false);
        using var request = new BackendRequest(_backend, operation, key, range, requests);
        try
        {
            var result = await call().ConfigureAwait(false);
            var (status, bytesRead) = outcome(result);
            request.Succeeded(status, bytesRead, bytesWritten);
            return result;
        }
        catch (Exception e)
        {
            request.Failed(e);
            throw;
        }
    }

    /// <summary>
    /// The telemetry of one backend request: counted in <c>zarr.store.requests</c> when it starts; on its end, a
    /// duration, bytes, and a span (<c>zarr.store.{operation}</c>) tagged with the key (a path in the store, never a
    /// credential), the range, and the status.
    /// </summary>
    private sealed class BackendRequest : IDisposable
    {
        private readonly TagList _tags;
        private readonly Activity? _activity;
        private readonly long _started;
        private bool _ended;

        public BackendRequest(string backend, string operation, string key, string? range, int requests)
        {
            _tags = new TagList { { "zarr.backend", backend }, { "zarr.operation", operation } };
            ZarrCloudTelemetry.StoreRequests.Add(requests, _tags);
            _activity = ZarrCloudTelemetry.ActivitySource.StartActivity("zarr.store." + operation, ActivityKind.Client);
            if (_activity is not null)
            {
                _activity.SetTag("zarr.backend", backend);
                _activity.SetTag("zarr.key", key);
                if (range is not null) _activity.SetTag("zarr.range", range);
            }
            _started = Stopwatch.GetTimestamp();
        }

        public void Succeeded(string status, long bytesRead = 0, long bytesWritten = 0)
        {
            if (bytesRead > 0) ZarrCloudTelemetry.StoreBytesRead.Add(bytesRead, _tags[0]);
            if (bytesWritten > 0) ZarrCloudTelemetry.StoreBytesWritten.Add(bytesWritten, _tags[0]);
            _activity?.SetTag("zarr.status", status);
            End();
        }

        public void Failed(Exception e)
        {
            var status = e is OperationCanceledException ? "cancelled" : "error";
            _activity?.SetTag("zarr.status", status);
            if (e is StoreException { Status: { } code }) _activity?.SetTag("http.response.status_code", code);
            _activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            End();
        }

        private void End()
        {
            if (_ended) return;
            _ended = true;
            ZarrCloudTelemetry.StoreRequestDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _tags);
            _activity?.Stop();
        }

        public void Dispose()
        {
            End();
            _activity?.Dispose();
        }
    }
}
