namespace Zarr.Cloud.Storage;

/// <summary>
/// Counts the requests that reach the wrapped store and the bytes they return: what <c>zarr --stats</c>
/// prints, and what tests use to prove how many round trips a read costs.
/// </summary>
public sealed class InstrumentedStore : DelegatingStore
{
    private long _reads;
    private long _bytesRead;
    private long _writes;
    private long _bytesWritten;
    private long _deletes;
    private long _lists;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The wrapped store.</param>
    public InstrumentedStore(IAsyncStore inner) : base(inner) { }

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
        var v = await Inner.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        if (v is not null) Interlocked.Add(ref _bytesRead, v.Length);
        return v;
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        return await StoreExtensions.ReadPlannedAsync(key, ranges, Coalescing, async (merged, ct) =>
        {
            Interlocked.Add(ref _reads, merged.Count);
            var values = await Inner.GetRangesAsync(key, merged, ct).ConfigureAwait(false);
            foreach (var v in values) if (v is not null) Interlocked.Add(ref _bytesRead, v.Length);
            return values;
        }, Inner.ToString() ?? "store", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytesWritten, value.Length);
        return Inner.SetAsync(key, value, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deletes);
        return Inner.DeleteAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return Inner.ListAsync(prefix, cancellationToken);
    }
}
