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

    /// <summary>
    /// Reads <paramref name="stream"/> to its end into a new pooled buffer: the body of a response whose length
    /// the server declared (<paramref name="expectedLength"/>, the buffer's size up front) or did not (null: the
    /// buffer grows). Stops with an <see cref="IOException"/> past <paramref name="maxLength"/> bytes. The caller
    /// compares <see cref="Length"/> with what it expected: a short body is a truncated response, never data.
    /// </summary>
    /// <param name="stream">The body.</param>
    /// <param name="expectedLength">The declared length, when known.</param>
    /// <param name="maxLength">The most bytes to accept.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<PooledBuffer> ReadFromAsync(Stream stream, long? expectedLength, int maxLength = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (expectedLength > maxLength) throw new IOException($"the body is {expectedLength} bytes, more than the {maxLength} one buffer may hold");
        var buffer = new PooledBuffer((int)(expectedLength ?? Math.Min(maxLength, 16384)));
        try
        {
            int read = 0;
            while (true)
            {
                if (read == buffer.Length)
                {
                    // Full: a declared length is reached (one more byte would be more than the server said), or grow.
                    if (expectedLength is not null)
                    {
                        if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0) break;
                        throw new IOException($"the body is longer than the {expectedLength} bytes declared");
                    }
                    if (read >= maxLength)
                    {
                        if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0) break;
                        throw new IOException($"the body is longer than the {maxLength} bytes one buffer may hold");
                    }
                    var larger = new PooledBuffer((int)Math.Min(maxLength, 2L * buffer.Length));
                    buffer.Span[..read].CopyTo(larger.Span);
                    buffer.Dispose();
                    buffer = larger;
                }
                int n = await stream.ReadAsync(buffer.Memory[read..], cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }
            buffer.Truncate(read);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var a = Interlocked.Exchange(ref _array, null);
        if (a is { Length: > 0 }) ArrayPool<byte>.Shared.Return(a);
    }
}
