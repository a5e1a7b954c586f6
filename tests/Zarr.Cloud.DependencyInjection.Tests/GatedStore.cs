namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>A store whose reads wait until the test opens the gate, so a test can act while a read is under way.</summary>
public sealed class GatedStore(IAsyncStore inner) : DelegatingStore(inner)
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first read has arrived.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets every read through.</summary>
    public void Open() => _gate.TrySetResult();

    public override async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        return await Inner.GetAsync(key, range, cancellationToken);
    }
}
