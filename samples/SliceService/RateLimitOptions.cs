namespace Zarr.Cloud.Samples.SliceService;

/// <summary>A token bucket per client address: up to <see cref="TokenLimit"/> requests at once, refilled at
/// <see cref="TokensPerSecond"/>. Either 0 turns rate limiting off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The bucket size (burst). Default 400.</summary>
    public int TokenLimit { get; set; } = 400;

    /// <summary>Tokens added per second. Default 200.</summary>
    public int TokensPerSecond { get; set; } = 200;

    /// <summary>Seconds between refills (tokens are added in steps). Default 1.</summary>
    public double ReplenishmentSeconds { get; set; } = 1;
}
