namespace Zarr.Cloud.Storage;

/// <summary>
/// A key/value store of bytes: the one contract every backend (file, memory, HTTP, S3, Azure, GCS)
/// and every middleware (cache, coalescing, limits, retry, instrumentation) implements.
/// Keys use '/' as separator and never start with '/'.
/// </summary>
public interface IAsyncStore
{
    /// <summary>What this store can do.</summary>
    StoreCapabilities Capabilities { get; }

    /// <summary>Reads a value or part of it. A missing key returns null, never throws.</summary>
    /// <param name="key">The key.</param>
    /// <param name="range">The part to read; the default is the whole value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default);

    /// <summary>Reads several ranges of one value; results are in the order of <paramref name="ranges"/>, null where the key is missing.</summary>
    /// <param name="key">The key.</param>
    /// <param name="ranges">The parts to read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default);

    /// <summary>Writes a value, replacing any previous one.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Deletes a value; deleting a missing key is not an error.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists every key that starts with <paramref name="prefix"/>, recursively, in no particular order.</summary>
    /// <param name="prefix">The prefix; empty lists everything.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default);
}
