namespace Zarr.Cloud.Arrays;

/// <summary>
/// A bound on bytes held at once, for one waiter at a time: <see cref="AcquireAsync"/> waits until the bytes fit
/// under the limit, or nothing is held (so one request larger than the limit still proceeds, alone).
/// </summary>
internal sealed class ByteBudget(long limit)
{
    private readonly object _gate = new();
    private long _held;
    private TaskCompletionSource? _released;

    /// <summary>The bytes held now.</summary>
    public long Held
    {
        get { lock (_gate) return _held; }
    }

    /// <summary>Takes <paramref name="bytes"/> from the budget, waiting for releases if they do not fit.</summary>
    /// <param name="bytes">How many bytes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_held == 0 || _held + bytes <= limit)
                {
                    _held += bytes;
                    return;
                }
                _released ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _released.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives <paramref name="bytes"/> back and wakes a waiter.</summary>
    /// <param name="bytes">How many bytes.</param>
    public void Release(long bytes)
    {
        TaskCompletionSource? released;
        lock (_gate)
        {
            _held -= bytes;
            released = _released;
            _released = null;
        }
        released?.TrySetResult();
    }
}
