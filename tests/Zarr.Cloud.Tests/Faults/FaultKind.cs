namespace Zarr.Cloud.Tests.Faults;

/// <summary>What <see cref="FaultProxy"/> can do to a request instead of (or while) forwarding it.</summary>
public enum FaultKind
{
    /// <summary>Closes the client's connection abortively (RST) after reading the request: a connection reset.</summary>
    Reset,
    /// <summary>Answers 503 with an S3-style SlowDown body and no Retry-After.</summary>
    ServiceUnavailable,
    /// <summary>Answers 503 with a Retry-After header (delta-seconds and HTTP date in turn).</summary>
    ServiceUnavailableRetryAfter,
    /// <summary>Answers 429 Too Many Requests.</summary>
    TooManyRequests,
    /// <summary>Answers 500 with an S3-style InternalError body.</summary>
    InternalServerError,
    /// <summary>Waits <see cref="FaultProxyOptions.Delay"/>, then forwards the request normally.</summary>
    Delay,
    /// <summary>Forwards the request, then sends the answer's head (its full Content-Length) and half of its body, and closes.</summary>
    TruncatedBody,
}
