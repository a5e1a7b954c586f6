namespace Zarr.Cloud.Tests.Faults;

/// <summary>How often and how <see cref="FaultProxy"/> misbehaves.</summary>
public sealed class FaultProxyOptions
{
    /// <summary>The share of requests that get a fault, 0 to 1 (default 0: a plain proxy).</summary>
    public double Rate { get; set; }

    /// <summary>The seed of the random choices, so a failing run can be repeated.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The faults drawn from, with equal chance (default: all of them).</summary>
    public IReadOnlyList<FaultKind> Kinds { get; set; } = Enum.GetValues<FaultKind>();

    /// <summary>How long <see cref="FaultKind.Delay"/> waits (default 50 ms).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>What <see cref="FaultKind.ServiceUnavailableRetryAfter"/> asks the client to wait (default 1 s).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
