using System.Runtime.CompilerServices;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Lets at most <see cref="MaxInFlight"/> requests reach the wrapped store at once; further callers wait (cancellably)
/// for a slot. A listing holds a slot only while it fetches the next key, not while the caller consumes it.
/// <see cref="StoreResolver"/> adds it with <see cref="StoreOpenOptions.MaxInFlightRequests"/>.
/// </summary>
public sealed class ConcurrencyLimitedStore : DelegatingStore
{
    private readonly SemaphoreSlim _slots;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The wrapped store.</param>
    /// <param name="maxInFlight">The most requests in flight at once, 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxInFlight"/> is less than 1.</exception>
    public ConcurrencyLimitedStore(IAsyncStore inner, int maxInFlight) : base(inner)
    {
        if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight), maxInFlight, "MaxInFlightRequests must be at least 1.");
        MaxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    /// <summary>The most requests in flight at once.</summary>
    public int MaxInFlight { get; }

    /// <summary>Requests in flight now.</summary>
    public int InFlight => MaxInFlight - _slots.CurrentCount;

    /// <inheritdoc />
    public override ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
        => InSlotAsync(ct => Inner.GetAsync(key, range, ct), cancellationToken);

    /// <summary>Reads several ranges; the merged requests are issued one slot each, through <see cref="GetAsync"/>.</summary>
    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);

    /// <inheritdoc />
    public override async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
        => await InSlotAsync(async ct => { await Inner.SetAsync(key, value, ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
        => await InSlotAsync(async ct => { await Inner.DeleteAsync(key, ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
        => InSlotAsync(ct => Inner.ListDirAsync(prefix, ct), cancellationToken);

    /// <summary>Runs <paramref name="call"/> once a slot is free, and frees it after.</summary>
    private async ValueTask<T> InSlotAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var keys = Inner.ListAsync(prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                if (!await InSlotAsync(_ => keys.MoveNextAsync(), cancellationToken).ConfigureAwait(false)) yield break;
                yield return keys.Current;
            }
        }
        finally
        {
            await keys.DisposeAsync().ConfigureAwait(false);
        }
    }
}
