namespace Zarr.Cloud.Storage;

/// <summary>
/// How <c>ResilientStore</c> retries transient failures: decorrelated-jitter exponential backoff from
/// <see cref="InitialDelay"/> up to <see cref="MaxDelay"/>, at most <see cref="MaxAttempts"/> attempts, each bounded by
/// <see cref="AttemptTimeout"/>, all of them by <see cref="TotalTimeout"/>. The defaults follow Rust's object_store
/// (100 ms, 15 s, 10 attempts, 180 s), which was tuned against S3, GCS and Azure throttling.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>False turns retries off (one attempt, still bounded by <see cref="AttemptTimeout"/>). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts in all, the first included. Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The median first delay of the backoff. Default 100 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two attempts. Default 15 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest one attempt may take before it is cancelled and counted as a transient failure. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a request may take with all its retries. Default 180 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Waits as long as a server's <c>Retry-After</c> asks (capped by <see cref="MaxDelay"/>). Default true.</summary>
    public bool HonorRetryAfter { get; set; } = true;

    // Polly's timeout strategy accepts 10 ms to one day.
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the property that is out of range.</summary>
    public void Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        if (InitialDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "InitialDelay must not be negative.");
        if (MaxDelay < InitialDelay) throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must be at least InitialDelay.");
        if (MaxDelay > OneDay) throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must be at most one day.");
        if (AttemptTimeout < ShortestTimeout || AttemptTimeout > OneDay)
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "AttemptTimeout must be between 10 ms and one day.");
        if (TotalTimeout < ShortestTimeout || TotalTimeout > OneDay)
            throw new ArgumentOutOfRangeException(nameof(TotalTimeout), TotalTimeout, "TotalTimeout must be between 10 ms and one day.");
    }
}
