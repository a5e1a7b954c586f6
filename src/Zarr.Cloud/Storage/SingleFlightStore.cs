using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Shares one backend request among concurrent <see cref="IAsyncStore.GetAsync"/> calls of the same key and range
/// (single flight): the first call fetches, calls that arrive while it is under way wait for its result.
/// </summary>
/// <remarks>
/// Every caller gets a <see cref="StoreValue"/> of its own to dispose: the last caller to take the result gets the
/// fetched value itself, the others a pooled copy, so no caller's dispose can return memory another still reads.
/// A failure reaches every waiter. A caller whose token is cancelled stops waiting at once; the request goes on for
/// the others and is cancelled only when every waiter has cancelled. Requests are shared only while under way:
/// nothing is cached. Writes, deletes, lists and <see cref="IAsyncStore.GetRangesAsync"/> pass through.
/// </remarks>
public sealed class SingleFlightStore : DelegatingStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Key, ByteRange Range), Flight> _flights = new();
    private long _shared;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The wrapped store.</param>
    public SingleFlightStore(IAsyncStore inner) : base(inner) { }

    /// <summary>Calls that joined a request already under way instead of sending their own.</summary>
    public long SharedRequests => Interlocked.Read(ref _shared);

    /// <inheritdoc />
    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var id = (key, range);
        Flight flight;
        bool start = false;
        lock (_gate)
        {
            if (!_flights.TryGetValue(id, out flight!))
            {
                flight = new Flight();
                _flights[id] = flight;
                start = true;
            }
            flight.Waiters++;
        }
        if (start) _ = FetchAsync(id, flight);
        else Interlocked.Increment(ref _shared);
        StoreValue? fetched;
        try
        {
            fetched = await flight.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bool cancelLoad = false;
            StoreValue? orphan = null;
            lock (_gate)
            {
                if (--flight.Waiters == 0)
                {
                    if (flight.Completion.Task.IsCompletedSuccessfully) orphan = flight.Completion.Task.Result;
                    else if (!flight.Completion.Task.IsCompleted)
                    {
                        cancelLoad = true;
                        if (_flights.TryGetValue(id, out var current) && current == flight) _flights.Remove(id);
                    }
                }
            }
            orphan?.Dispose();
            if (cancelLoad) flight.Cancellation.Cancel();
            throw;
        }
        if (fetched is null) return null;
        lock (_gate)
        {
            if (flight.Waiters == 1)
            {
                // The last taker: the fetched value is this caller's.
                flight.Waiters = 0;
                return fetched;
            }
        }
        // Copy while still counted as a waiter: the value is disposed only when the count reaches zero.
        var copy = new StoreValue(PooledBuffer.CopyOf(fetched.Span), fetched.Length, fetched.ETag, fetched.TotalLength);
        bool dispose;
        lock (_gate) dispose = --flight.Waiters == 0;
        if (dispose) fetched.Dispose();
        return copy;
    }

    private async Task FetchAsync((string Key, ByteRange Range) id, Flight flight)
    {
        try
        {
            var value = await Inner.GetAsync(id.Key, id.Range, flight.Cancellation.Token).ConfigureAwait(false);
            bool orphaned;
            lock (_gate)
            {
                Forget(id, flight);
                // Completed under the lock, so that a waiter cancelling now either sees the value (and disposes it
                // if it was the last) or brought the count to zero before (and the value is disposed here).
                orphaned = flight.Waiters == 0;
                flight.Completion.SetResult(orphaned ? null : value);
            }
            if (orphaned) value?.Dispose();
        }
        catch (Exception e)
        {
            lock (_gate) Forget(id, flight);
            if (e is OperationCanceledException && flight.Cancellation.IsCancellationRequested) flight.Completion.SetCanceled(flight.Cancellation.Token);
            else flight.Completion.SetException(e);
        }
    }

    private void Forget((string Key, ByteRange Range) id, Flight flight)
    {
        if (_flights.TryGetValue(id, out var current) && current == flight) _flights.Remove(id);
    }

    /// <summary>One request under way and the callers waiting for it.</summary>
    private sealed class Flight
    {
        public TaskCompletionSource<StoreValue?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters { get; set; }
    }
}
