using System.Net.Http.Headers;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Reads an HTTP <c>Retry-After</c> header (RFC 9110 §10.2.3: delta-seconds or an HTTP date) as the wait it asks for,
/// so that every backend fills <see cref="StoreException.RetryAfter"/> the same way.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>The wait <paramref name="header"/> asks for, measured from <paramref name="now"/>; null when there is none.</summary>
    /// <param name="header">The parsed header (<c>HttpResponseMessage.Headers.RetryAfter</c>), or null.</param>
    /// <param name="now">The current time (a date in the past means no wait: zero).</param>
    public static TimeSpan? ToDelay(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date) return date <= now ? TimeSpan.Zero : date - now;
        return null;
    }

    /// <summary>The wait the header text <paramref name="value"/> asks for; null when it is absent or malformed.</summary>
    /// <param name="value">The header's text, e.g. <c>"120"</c> or <c>"Wed, 21 Oct 2015 07:28:00 GMT"</c>.</param>
    /// <param name="now">The current time.</param>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
        => !string.IsNullOrWhiteSpace(value) && RetryConditionHeaderValue.TryParse(value.Trim(), out var parsed) ? ToDelay(parsed, now) : null;
}
