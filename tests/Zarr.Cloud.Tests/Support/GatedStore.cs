using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Support;

/// <summary>
/// A real store (usually a <see cref="MemoryStore"/>) whose reads can be held at a gate until the test opens it,
/// and which records how many reads it served and the most it served at once.
/// </summary>
public sealed class GatedStore(IAsyncStore inner) : DelegatingStore(inner)
{
    private readonly object _gate = new();
    private TaskCompletionSource _open = CreateOpen(true);
    private int _inFlight;
    private int _maxInFlight;
    private int _reads;
    private int _waiting;

    private static TaskCompletionSource CreateOpen(bool open)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open) tcs.SetResult();
        return tcs;
    }

    /// <summary>Reads served (each GetAsync call).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The most reads in progress at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Reads waiting at the closed gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>A failure to throw from reads instead of reading, while set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Holds every read from now on until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_gate) if (_open.Task.IsCompleted) _open = CreateOpen(false);
    }

    /// <summary>Lets held and later reads through.</summary>
    public void Open()
    {
        lock (_gate) _open.TrySetResult();
    }

    /// <summary>Waits (polling, up to 10 s) until <paramref name="count"/> reads wait at the gate.</summary>
    public async Task WaitForWaitingAsync(int count)
    {
        for (int i = 0; i < 1000 && Waiting < count; i++) await Task.Delay(10);
        Assert.True(Waiting >= count, $"{Waiting} reads reached the gate, expected {count}");
    }

    /// <inheritdoc />
    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max) { }
        try
        {
            Task open;
            lock (_gate) open = _open.Task;
            Interlocked.Increment(ref _waiting);
            try
            {
                await open.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            if (Failure is { } failure) throw failure;
            return await Inner.GetAsync(key, range, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
