namespace Zarr.Cloud.Samples.SliceService;

/// <summary>The "SliceService" configuration section: the limits that protect the service.</summary>
public sealed class SliceServiceOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "SliceService";

    /// <summary>Most cells (elements) one request may ask for; more is answered 413. Default 4,000,000.</summary>
    public long MaxCellsPerRequest { get; set; } = 4_000_000;

    /// <summary>
    /// Most cells of the chunks one request may read (chunks touched times cells per chunk); more is answered 413. Default
    /// 268,435,456 (512 MiB of int16). A point's series over MUR SST's [5, 1799, 3600] chunks touches one chunk per 5 days.
    /// </summary>
    public long MaxChunkCellsPerRequest { get; set; } = 1L << 28;

    /// <summary>Seconds a request may take before it is cancelled (504 when nothing was sent yet). Default 30; 0 for none.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Requests per client address: a token bucket.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Throws when a value is out of range, naming the setting.</summary>
    public void Validate()
    {
        if (MaxCellsPerRequest < 1) throw new InvalidOperationException($"{Section}:MaxCellsPerRequest must be at least 1, not {MaxCellsPerRequest}.");
        if (MaxChunkCellsPerRequest < 1) throw new InvalidOperationException($"{Section}:MaxChunkCellsPerRequest must be at least 1, not {MaxChunkCellsPerRequest}.");
        if (!(RequestTimeoutSeconds >= 0)) throw new InvalidOperationException($"{Section}:RequestTimeoutSeconds must be 0 (none) or more, not {RequestTimeoutSeconds}.");
        if (RateLimit.TokenLimit < 0 || RateLimit.TokensPerSecond < 0)
            throw new InvalidOperationException($"{Section}:RateLimit:TokenLimit and TokensPerSecond must be 0 (no limit) or more.");
        if (!(RateLimit.ReplenishmentSeconds > 0))
            throw new InvalidOperationException($"{Section}:RateLimit:ReplenishmentSeconds must be more than 0, not {RateLimit.ReplenishmentSeconds}.");
    }
}
