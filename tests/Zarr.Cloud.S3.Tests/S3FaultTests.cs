using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Faults;
using Zarr.Cloud.Tests.Support;
using ByteRange = Zarr.Cloud.Storage.ByteRange;

namespace Zarr.Cloud.S3.Tests;

/// <summary>
/// S3Store → <see cref="FaultProxy"/> → s3rver (or MinIO): under injected resets, 5xx with S3 error codes, throttling,
/// delays and cut bodies, reads through <see cref="ResilientStore"/> return exactly what was stored, or throw.
/// </summary>
public sealed class S3FaultTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestData.Ct;

    private static ResilienceOptions Fast(int attempts = 10) => new()
    {
        MaxAttempts = attempts, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<(string Bucket, Dictionary<string, byte[]> Values)> BucketWithValuesAsync(int count, int maxSize)
    {
        var bucket = await s3.CreateBucketAsync("faults");
        var values = RandomReadWorkload.MakeValues(count, maxSize, seed: 12);
        using var direct = new S3Store(bucket, "data", s3.Options());
        foreach (var (key, bytes) in values) await direct.SetAsync(key, bytes, Ct);
        return (bucket, values);
    }

    [Fact]
    public async Task AThousandRandomReadsUnderFifteenPercentFaultsAreExact()
    {
        s3.Require();
        var (bucket, values) = await BucketWithValuesAsync(30, 100_000);
        await using var proxy = new FaultProxy(new Uri(s3.Endpoint), new FaultProxyOptions { Rate = 0.15, Seed = 43, Delay = TimeSpan.FromMilliseconds(20) });
        using var s3Store = new S3Store(bucket, "data", s3.Options(o => o.Endpoint = proxy.BaseUri.ToString()));
        var logger = new ListLogger();
        using var meter = new RetryMeter();
        var store = new ResilientStore(s3Store, Fast(), logger);

        var counts = await RandomReadWorkload.RunAsync(store, values, reads: 1000, seed: 8, parallelism: 8, Ct);

        var retries = logger.Entries.Count(e => e.Level == LogLevel.Warning);
        TestContext.Current.TestOutputHelper?.WriteLine($"{counts}; {proxy.Requests} requests over {proxy.Connections} connections; injected "
            + string.Join(", ", Enum.GetValues<FaultKind>().Select(k => $"{k} {proxy.Injected(k)}")) + $"; {retries} retries");
        foreach (var kind in Enum.GetValues<FaultKind>())
            Assert.True(proxy.Injected(kind) > 0, $"the proxy never injected {kind} ({proxy.Requests} requests)");
        int failing = proxy.Injected(FaultKind.ServiceUnavailable) + proxy.Injected(FaultKind.ServiceUnavailableRetryAfter)
            + proxy.Injected(FaultKind.TooManyRequests) + proxy.Injected(FaultKind.InternalServerError) + proxy.Injected(FaultKind.TruncatedBody);
        Assert.InRange(retries, failing, failing + proxy.Injected(FaultKind.Reset));
        Assert.True(meter.RetriesOf(S3Errors.Backend) >= retries, $"zarr.store.retries counted {meter.RetriesOf(S3Errors.Backend)}, the log {retries}");
        Assert.Contains(logger.Entries, e => e.Message.Contains("503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WritesThroughFaultsLandExactlyOnce()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("faultw");
        await using var proxy = new FaultProxy(new Uri(s3.Endpoint), new FaultProxyOptions
        {
            Rate = 0.3, Seed = 5, Kinds = [FaultKind.Reset, FaultKind.ServiceUnavailable, FaultKind.InternalServerError, FaultKind.TooManyRequests],
        });
        using var s3Store = new S3Store(bucket, "w", s3.Options(o => o.Endpoint = proxy.BaseUri.ToString()));
        var store = new ResilientStore(s3Store, Fast());
        var values = RandomReadWorkload.MakeValues(20, 50_000, seed: 13);
        foreach (var (key, bytes) in values) await store.SetAsync(key, bytes, Ct);
        await store.DeleteAsync("k/0", Ct);
        Assert.True(proxy.InjectedTotal > 0);

        using var direct = new S3Store(bucket, "w", s3.Options());
        foreach (var (key, bytes) in values)
        {
            using var v = await direct.GetAsync(key, default, Ct);
            if (key == "k/0") Assert.Null(v);
            else Assert.Equal(bytes, v!.ToArray());
        }
    }

    [Fact]
    public async Task AKeyThatAlwaysFailsEndsInAnExceptionNamingKeyAttemptsAndStatus()
    {
        s3.Require();
        var (bucket, _) = await BucketWithValuesAsync(2, 100);
        await using var proxy = new FaultProxy(new Uri(s3.Endpoint));
        proxy.Always(t => t.Contains("/data/k/1", StringComparison.Ordinal), FaultKind.ServiceUnavailable);
        using var s3Store = new S3Store(bucket, "data", s3.Options(o => o.Endpoint = proxy.BaseUri.ToString()));
        var store = new ResilientStore(s3Store, Fast(attempts: 4));
        using (var ok = await store.GetAsync("k/0", default, Ct)) Assert.NotNull(ok);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k/1", default, Ct));
        Assert.Equal(4, e.Attempts);
        Assert.Equal(503, e.Status);
        Assert.Contains("'k/1'", e.Message);
        Assert.Contains("4 attempts", e.Message);
        Assert.Contains("SlowDown", e.Message);
        Assert.Null(await store.GetAsync("absent", default, Ct));
        Assert.Equal(1 + 4 + 1, proxy.Requests);
    }

    [Fact]
    public async Task ACutBodyIsNeverReturnedAsData()
    {
        s3.Require();
        var (bucket, _) = await BucketWithValuesAsync(1, 60_000);
        await using var proxy = new FaultProxy(new Uri(s3.Endpoint), new FaultProxyOptions { Rate = 1, Kinds = [FaultKind.TruncatedBody] });
        using var s3Store = new S3Store(bucket, "data", s3.Options(o => o.Endpoint = proxy.BaseUri.ToString()));
        var bare = await Assert.ThrowsAsync<StoreException>(async () => await s3Store.GetAsync("k/0", ByteRange.Bounded(10, 5000), Ct));
        Assert.True(bare.IsTransient);
        var retried = await Assert.ThrowsAsync<StoreException>(async () => await new ResilientStore(s3Store, Fast(attempts: 2)).GetAsync("k/0", default, Ct));
        Assert.Equal(2, retried.Attempts);
        Assert.Equal(3, proxy.Injected(FaultKind.TruncatedBody));
    }
}
