namespace Zarr.Cloud.Storage;

/// <summary>
/// A store that wraps another and forwards every member to it, virtually: the base of every middleware,
/// so that no wrapper loses a specialised member such as <see cref="IAsyncStore.GetRangesAsync"/>.
/// </summary>
public abstract class DelegatingStore : IAsyncStore, IDirectoryListingStore
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The wrapped store.</param>
    protected DelegatingStore(IAsyncStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The wrapped store.</summary>
    public IAsyncStore Inner { get; }

    /// <inheritdoc />
    public virtual StoreCapabilities Capabilities => Inner.Capabilities;

    /// <inheritdoc />
    public virtual ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
        => Inner.GetAsync(key, range, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => Inner.GetRangesAsync(key, ranges, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
        => Inner.SetAsync(key, value, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
        => Inner.DeleteAsync(key, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
        => Inner.ListAsync(prefix, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
        => Inner.ListDirAsync(prefix, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} -> {Inner}";
}
