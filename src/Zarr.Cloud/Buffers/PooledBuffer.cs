using System.Buffers;

namespace Zarr.Cloud.Buffers;

/// <summary>An <see cref="IMemoryOwner{T}"/> of bytes rented from <see cref="ArrayPool{T}.Shared"/>, exactly <see cref="Length"/> long.</summary>
public sealed class PooledBuffer : IMemoryOwner<byte>
{
    private byte[]? _array;

    /// <summary>Rents a buffer of <paramref name="length"/> bytes (contents undefined).</summary>
    /// <param name="length">The length.</param>
    public PooledBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        Length = length;
    }

    /// <summary>The number of bytes.</summary>
    public int Length { get; private set; }

    /// <summary>The underlying array (longer than <see cref="Length"/>).</summary>
    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    /// <inheritdoc />
    public Memory<byte> Memory => Array.AsMemory(0, Length);

    /// <summary>The bytes as a span.</summary>
    public Span<byte> Span => Array.AsSpan(0, Length);

    /// <summary>Shortens the buffer (never lengthens it).</summary>
    /// <param name="length">The new length, at most the current one.</param>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
    }

    /// <summary>Copies <paramref name="data"/> into a new pooled buffer.</summary>
    /// <param name="data">The bytes.</param>
    public static PooledBuffer CopyOf(ReadOnlySpan<byte> data)
    {
        var b = new PooledBuffer(data.Length);
        data.CopyTo(b.Span);
        return b;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var a = Interlocked.Exchange(ref _array, null);
        if (a is { Length: > 0 }) ArrayPool<byte>.Shared.Return(a);
    }
}
