using Zarr.Cloud.Arrays;
using Zarr.Cloud.DependencyInjection;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// A store whose chunk reads never finish until cancelled (metadata reads pass through): it records that a read started
/// and that its cancellation token fired, which is how the tests see RequestAborted and the request timeout reach the store.
/// </summary>
public sealed class SlowChunkStore(IAsyncStore inner) : DelegatingStore(inner)
{
    private int _cancelled;

    /// <summary>Completes when the first chunk read starts.</summary>
    public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a chunk read is cancelled.</summary>
    public TaskCompletionSource ReadCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Chunk reads cancelled so far.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    private static bool IsChunk(string key) => key.Split('/')[^1] is { Length: > 0 } last && char.IsDigit(last[0]);

    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        if (IsChunk(key)) await HangAsync(cancellationToken);
        return await base.GetAsync(key, range, cancellationToken);
    }

    public override async ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        if (IsChunk(key)) await HangAsync(cancellationToken);
        return await base.GetRangesAsync(key, ranges, cancellationToken);
    }

    private async Task HangAsync(CancellationToken cancellationToken)
    {
        ReadStarted.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            ReadCancelled.TrySetResult();
            throw;
        }
    }
}
