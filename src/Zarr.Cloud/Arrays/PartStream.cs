using System.Threading.Channels;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Arrays;

/// <summary>
/// The machinery behind <see cref="ZarrArray.StreamAsync{T}(Selection, StreamOptions?, CancellationToken)"/>: a
/// producer starts part reads in C order, as many at once as the concurrency allows and while their decoded bytes
/// fit the budget; the consumer takes them in start order (ordered) or completion order. A part's bytes go back to
/// the budget when the consumer asks for the next part. Disposing cancels outstanding reads and waits for them, so
/// no read still writes into a buffer, or holds a pooled one, after the stream is gone.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class PartStream<T> : IAsyncDisposable
{
    private readonly Channel<PartRead> _ready = Channel.CreateUnbounded<PartRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop;
    private readonly ByteBudget _budget;
    private readonly SemaphoreSlim _slots;
    private readonly bool _ordered;
    private readonly Task _producer;
    private int _outstanding = 1; // the producer, plus one per read not yet finished
    private long _unconsumed;

    /// <summary>Starts reading.</summary>
    /// <param name="projections">The parts, in C order.</param>
    /// <param name="bytesOf">A part's decoded size.</param>
    /// <param name="read">Reads one part.</param>
    /// <param name="options">Ordering and bounds (validated).</param>
    /// <param name="concurrency">Parts read at once.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public PartStream(IEnumerable<ChunkProjection> projections, Func<ChunkProjection, long> bytesOf, Func<ChunkProjection, CancellationToken, Task<ArrayPart<T>>> read,
        StreamOptions options, int concurrency, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _budget = new ByteBudget(options.MaxBytesInFlight);
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _ordered = options.Ordered;
        _producer = Task.Run(() => ProduceAsync(projections, bytesOf, read, _stop.Token), CancellationToken.None);
    }

    private readonly record struct PartRead(Task<ArrayPart<T>> Task, long Bytes);

    private async Task ProduceAsync(IEnumerable<ChunkProjection> projections, Func<ChunkProjection, long> bytesOf, Func<ChunkProjection, CancellationToken, Task<ArrayPart<T>>> read, CancellationToken token)
    {
        try
        {
            foreach (var p in projections)
            {
                long bytes = bytesOf(p);
                await _budget.AcquireAsync(bytes, token).ConfigureAwait(false);
                await _slots.WaitAsync(token).ConfigureAwait(false);
                // A slot freed by a read that stopped because the stream is being cancelled: start nothing more.
                token.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _outstanding);
                var task = ReadOneAsync(p, read, token);
                var entry = new PartRead(task, bytes);
                if (_ordered) _ready.Writer.TryWrite(entry);
                _ = task.ContinueWith(static (_, state) =>
                {
                    var (stream, finished) = ((PartStream<T>, PartRead))state!;
                    stream.Finished(finished);
                }, (this, entry), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The consumer stopped: nothing more to start.
        }
        catch (Exception e)
        {
            // Planning failed: the consumer meets the error after the parts already started.
            _ready.Writer.TryWrite(new PartRead(Task.FromException<ArrayPart<T>>(e), 0));
        }
        finally
        {
            Release();
        }
    }

    private async Task<ArrayPart<T>> ReadOneAsync(ChunkProjection p, Func<ChunkProjection, CancellationToken, Task<ArrayPart<T>>> read, CancellationToken token)
    {
        try
        {
            return await read(p, token).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private void Finished(PartRead entry)
    {
        if (!_ordered) _ready.Writer.TryWrite(entry);
        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) != 0) return;
        _ready.Writer.TryComplete();
        _drained.TrySetResult();
    }

    /// <summary>The next part, or null when all are done. The part before it counts as consumed from now on.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="Exception">What the part's read threw (naming the chunk's key).</exception>
    public async ValueTask<ArrayPart<T>?> NextAsync(CancellationToken cancellationToken)
    {
        if (_unconsumed > 0)
        {
            _budget.Release(_unconsumed);
            _unconsumed = 0;
        }
        if (!await _ready.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        _ready.Reader.TryRead(out var entry);
        var part = await entry.Task.ConfigureAwait(false);
        _unconsumed = entry.Bytes;
        return part;
    }

    /// <summary>Cancels what is outstanding and waits until every read has finished.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _producer.ConfigureAwait(false);
        await _drained.Task.ConfigureAwait(false);
        // Parts read and never consumed: observe their failures (cancellations, mostly) so none is reported as unobserved.
        while (_ready.Reader.TryRead(out var entry))
            _ = entry.Task.Exception;
        _stop.Dispose();
        _slots.Dispose();
    }
}
