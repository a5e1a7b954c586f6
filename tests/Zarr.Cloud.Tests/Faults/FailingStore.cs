using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// A <see cref="MemoryStore"/> that fails on cue, for unit tests of <see cref="ResilientStore"/>'s pipeline: each
/// request first asks <see cref="FailWith"/> (key, range, attempt number) for an exception to throw; null lets it through.
/// <see cref="Hang"/> makes requests wait until they are cancelled. Counts calls per key and range, and tracks every
/// pooled buffer it hands out so tests can check they were all returned.
/// </summary>
public sealed class FailingStore : IAsyncStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentBag<TrackedBuffer> _buffers = [];

    public MemoryStore Data { get; } = new();

    /// <summary>The exception for a call of (key, range, 1-based attempt), or null to answer it.</summary>
    public Func<string, ByteRange, int, Exception?> FailWith { get; set; } = (_, _, _) => null;

    /// <summary>The exception for the n-th (1-based) call of ListAsync, or null; <see cref="ListFailsAfterFirstKey"/> fails after one key.</summary>
    public Func<int, Exception?> ListFailWith { get; set; } = _ => null;

    public bool ListFailsAfterFirstKey { get; set; }

    /// <summary>Requests wait until their token is cancelled.</summary>
    public bool Hang { get; set; }

    public int Calls => _calls.Values.Sum();

    public int CallsOf(string key, ByteRange range = default) => _calls.GetValueOrDefault($"{key}|{range}");

    public int ListCalls => _calls.GetValueOrDefault("|list");

    public IReadOnlyCollection<TrackedBuffer> Buffers => _buffers;

    public StoreCapabilities Capabilities => StoreCapabilities.All;

    private async ValueTask BeforeAsync(string key, ByteRange range, CancellationToken ct)
    {
        int n = _calls.AddOrUpdate($"{key}|{range}", 1, (_, c) => c + 1);
        if (FailWith(key, range, n) is { } e) throw e;
        if (Hang) await Task.Delay(Timeout.Infinite, ct);
    }

    public async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(key, range, cancellationToken);
        using var v = await Data.GetAsync(key, range, cancellationToken);
        if (v is null) return null;
        var owner = new TrackedBuffer(v.Length);
        v.Span.CopyTo(owner.Memory.Span);
        _buffers.Add(owner);
        return new StoreValue(owner, v.Length, v.ETag, v.TotalLength);
    }

    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(key, default, cancellationToken);
        await Data.SetAsync(key, value, cancellationToken);
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(key, default, cancellationToken);
        await Data.DeleteAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int n = _calls.AddOrUpdate("|list", 1, (_, c) => c + 1);
        await Task.Yield();
        if (ListFailWith(n) is { } e) throw e;
        int yielded = 0;
        await foreach (var k in Data.ListAsync(prefix, cancellationToken))
        {
            if (ListFailsAfterFirstKey && yielded == 1) throw Transient(prefix, 503);
            yielded++;
            yield return k;
        }
    }

    /// <summary>A transient failure as a backend throws it.</summary>
    public static StoreException Transient(string key, int status, TimeSpan? retryAfter = null, string backend = "stub")
        => new(key, backend, $"GET http://example.invalid/{key} answered {status}", status, isTransient: true) { RetryAfter = retryAfter };

    /// <summary>A permanent failure as a backend throws it.</summary>
    public static StoreException Permanent(string key, int status, string backend = "stub")
        => new(key, backend, $"GET http://example.invalid/{key} answered {status}", status, isTransient: false);

    /// <summary>A pooled-buffer stand-in that remembers whether it was disposed.</summary>
    public sealed class TrackedBuffer(int length) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = new byte[length];

        public bool Disposed { get; private set; }

        public Memory<byte> Memory => _array;

        public void Dispose() => Disposed = true;
    }
}
