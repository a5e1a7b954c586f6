namespace Zarr.Cloud.Storage;

/// <summary>
/// How <see cref="IAsyncStore.GetRangesAsync"/> batches ranges of one value. The defaults follow Rust's object_store
/// (1 MiB gap, 10 requests at once) and zarr-python 3 (16 MiB merge cap): on object stores a request costs tens
/// of milliseconds, so reading up to 1 MiB of unwanted bytes is cheaper than another round trip, and the cap
/// keeps one slow request from holding a large buffer.
/// </summary>
public sealed class CoalescingOptions
{
    /// <summary>The defaults: 1 MiB gap, 16 MiB cap, 10 concurrent requests.</summary>
    public static CoalescingOptions Default { get; } = new();

    /// <summary>Ranges closer than this many bytes are merged into one request (default 1 MiB).</summary>
    public long MaxGapBytes { get; set; } = 1 << 20;

    /// <summary>The largest merged request in bytes (default 16 MiB).</summary>
    public long MaxMergedBytes { get; set; } = 16 << 20;

    /// <summary>How many requests of one batch run at once (default 10).</summary>
    public int MaxConcurrentRequests { get; set; } = 10;
}
