using System.Collections.Concurrent;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>
/// A real store wrapped to watch a stream from the outside: counts the chunk requests it is asked for (metadata
/// aside), and can hold chosen chunk keys until the test lets them go. Held requests honour cancellation.
/// </summary>
public sealed class StreamRecordingStore(IAsyncStore inner) : DelegatingStore(inner)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();
    private int _chunkRequests;
    private int _cancelled;

    /// <summary>Chunk requests made so far (GetAsync and GetRangesAsync calls on chunk keys).</summary>
    public int ChunkRequests => Volatile.Read(ref _chunkRequests);

    /// <summary>Held requests that ended because they were cancelled.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Every chunk key asked for, in request order.</summary>
    public ConcurrentQueue<string> Keys { get; } = new();

    /// <summary>Makes requests for <paramref name="key"/> wait until <see cref="Release"/>.</summary>
    public void Hold(string key) => _held[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held requests for <paramref name="key"/> go on.</summary>
    public void Release(string key)
    {
        if (_held.TryRemove(key, out var gate)) gate.TrySetResult();
    }

    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        await Record(key, cancellationToken);
        return await base.GetAsync(key, range, cancellationToken);
    }

    public override async ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        await Record(key, cancellationToken);
        return await base.GetRangesAsync(key, ranges, cancellationToken);
    }

    private async Task Record(string key, CancellationToken ct)
    {
        var name = key.Split('/')[^1];
        if (name.StartsWith('.') || name == "zarr.json") return;
        Keys.Enqueue(key);
        Interlocked.Increment(ref _chunkRequests);
        if (!_held.TryGetValue(key, out var gate)) return;
        try
        {
            await gate.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
    }

    /// <summary>Waits (polling, up to 10 s) until <paramref name="condition"/> holds; false if it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (condition()) return true;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        return condition();
    }
}
