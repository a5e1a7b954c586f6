using System.Buffers;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Bytes read from a store. The memory may be rented from a pool: dispose the value when done
/// with <see cref="Memory"/> to return it (not disposing is safe, only slower).
/// </summary>
public sealed class StoreValue : IDisposable
{
    private IMemoryOwner<byte>? _owner;
    private ReadOnlyMemory<byte> _memory;

    /// <summary>Wraps bytes the caller owns.</summary>
    /// <param name="memory">The bytes.</param>
    /// <param name="eTag">The entity tag of the stored object, when the store knows it.</param>
    /// <param name="totalLength">The size of the whole stored object, when known (a ranged read may return less).</param>
    public StoreValue(ReadOnlyMemory<byte> memory, string? eTag = null, long? totalLength = null)
    {
        _memory = memory;
        ETag = eTag;
        TotalLength = totalLength;
    }

    /// <summary>Wraps pooled bytes; <paramref name="owner"/> is disposed with this value.</summary>
    /// <param name="owner">The owner of the buffer.</param>
    /// <param name="length">The number of valid bytes at the start of the buffer.</param>
    /// <param name="eTag">The entity tag of the stored object, when known.</param>
    /// <param name="totalLength">The size of the whole stored object, when known.</param>
    public StoreValue(IMemoryOwner<byte> owner, int length, string? eTag = null, long? totalLength = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
        _memory = owner.Memory[..length];
        ETag = eTag;
        TotalLength = totalLength;
    }

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Memory => _memory;

    /// <summary>The bytes, as a span.</summary>
    public ReadOnlySpan<byte> Span => _memory.Span;

    /// <summary>The number of bytes.</summary>
    public int Length => _memory.Length;

    /// <summary>The entity tag of the stored object, when the store knows it.</summary>
    public string? ETag { get; }

    /// <summary>The size of the whole stored object, when known.</summary>
    public long? TotalLength { get; }

    /// <summary>Copies the bytes into a new array.</summary>
    public byte[] ToArray() => _memory.ToArray();

    /// <summary>Returns pooled memory, if any. The value must not be used afterwards.</summary>
    public void Dispose()
    {
        var owner = Interlocked.Exchange(ref _owner, null);
        _memory = default;
        owner?.Dispose();
    }
}
