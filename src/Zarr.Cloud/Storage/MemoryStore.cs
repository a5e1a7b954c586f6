using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Zarr.Cloud.Storage;

/// <summary>A thread-safe store in memory. Values are copied in and served without copying out.</summary>
public sealed class MemoryStore : IAsyncStore
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public StoreCapabilities Capabilities => StoreCapabilities.All;

    /// <summary>The number of stored keys.</summary>
    public int Count => _values.Count;

    /// <inheritdoc />
    public ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_values.TryGetValue(key, out var bytes)) return ValueTask.FromResult<StoreValue?>(null);
        if (!range.TryResolve(bytes.Length, out var start, out var length))
            throw new StoreException(key, "memory", $"range {range} starts past the end of the value ({bytes.Length} bytes)", 416);
        return ValueTask.FromResult<StoreValue?>(new StoreValue(bytes.AsMemory((int)start, (int)length), totalLength: bytes.Length));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        _values[key] = value.ToArray();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        _values.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var key in _values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"MemoryStore({_values.Count} keys)";
}
