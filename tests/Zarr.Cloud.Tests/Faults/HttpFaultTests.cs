using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// HttpStore → <see cref="FaultProxy"/> → nginx: under injected resets, 5xx, throttling, delays and cut bodies, reads
/// through <see cref="ResilientStore"/> return exactly the bytes on disk, or throw; never wrong bytes.
/// </summary>
public sealed class HttpFaultTests(NginxFixture nginx) : IClassFixture<NginxFixture>
{
    private static CancellationToken Ct => TestData.Ct;

    /// <summary>Fast retries: the faults are many, the test should not wait long for each.</summary>
    private static ResilienceOptions Fast(int attempts = 10) => new()
    {
        MaxAttempts = attempts, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A fresh folder served by nginx, with <paramref name="values"/> written to disk.</summary>
    private string Folder(IReadOnlyDictionary<string, byte[]>? values = null)
    {
        nginx.Require();
        var name = "faults-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (key, bytes) in values ?? new Dictionary<string, byte[]>())
        {
            var path = Path.Combine(nginx.Root, name, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        Directory.CreateDirectory(Path.Combine(nginx.Root, name));
        return name + "/";
    }

    private static HttpStore Http(Uri uri) => new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, uri);

    [Fact]
    public async Task AThousandRandomReadsUnderFifteenPercentFaultsAreExact()
    {
        var values = RandomReadWorkload.MakeValues(40, 200_000, seed: 11);
        var folder = Folder(values);
        await using var proxy = new FaultProxy(nginx.BaseUri, new FaultProxyOptions { Rate = 0.15, Seed = 42, Delay = TimeSpan.FromMilliseconds(20) });
        var logger = new ListLogger();
        using var meter = new RetryMeter();
        var store = new ResilientStore(Http(proxy.Url(folder)), Fast(), logger);

        var counts = await RandomReadWorkload.RunAsync(store, values, reads: 1000, seed: 7, parallelism: 8, Ct);

        Assert.True(counts.Whole > 100 && counts.Ranges > 300 && counts.Batches > 100 && counts.Missing > 10, counts.ToString());
        foreach (var kind in Enum.GetValues<FaultKind>())
            Assert.True(proxy.Injected(kind) > 0, $"the proxy never injected {kind} ({proxy.Requests} requests)");
        var retries = logger.Entries.Count(e => e.Level == LogLevel.Warning);
        TestContext.Current.TestOutputHelper?.WriteLine($"{counts}; {proxy.Requests} requests over {proxy.Connections} connections; injected "
            + string.Join(", ", Enum.GetValues<FaultKind>().Select(k => $"{k} {proxy.Injected(k)}")) + $"; {retries} retries");
        // Every injected 5xx/429 and cut body failed one attempt, which was retried (a reset may be retried by HttpClient itself).
        int failing = proxy.Injected(FaultKind.ServiceUnavailable) + proxy.Injected(FaultKind.ServiceUnavailableRetryAfter)
            + proxy.Injected(FaultKind.TooManyRequests) + proxy.Injected(FaultKind.InternalServerError) + proxy.Injected(FaultKind.TruncatedBody);
        Assert.InRange(retries, failing, failing + proxy.Injected(FaultKind.Reset));
        Assert.True(meter.RetriesOf("http") >= retries, $"zarr.store.retries counted {meter.RetriesOf("http")}, the log {retries}");
    }

    [Fact]
    public async Task AKeyThatAlwaysFailsEndsInAnExceptionNamingKeyAttemptsAndStatus()
    {
        var folder = Folder(new Dictionary<string, byte[]> { ["bad/0"] = [1, 2, 3] });
        await using var proxy = new FaultProxy(nginx.BaseUri);
        proxy.Always(t => t.Contains("/bad/", StringComparison.Ordinal), FaultKind.ServiceUnavailable);
        var options = Fast(attempts: 5);
        options.TotalTimeout = TimeSpan.FromSeconds(20);
        var store = new ResilientStore(Http(proxy.Url(folder)), options);

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("bad/0", default, Ct));
        Assert.True(clock.Elapsed < options.TotalTimeout, $"took {clock.Elapsed}");
        Assert.Equal(5, e.Attempts);
        Assert.Equal(503, e.Status);
        Assert.Equal("bad/0", e.Key);
        Assert.Contains("'bad/0'", e.Message);
        Assert.Contains("5 attempts", e.Message);
        Assert.Contains("503", e.Message);
        Assert.Equal(5, proxy.Requests);
    }

    [Fact]
    public async Task TheTotalTimeoutStopsEndlessRetries()
    {
        var folder = Folder(new Dictionary<string, byte[]> { ["bad/0"] = [1], ["good"] = [2] });
        await using var proxy = new FaultProxy(nginx.BaseUri);
        proxy.Always(t => t.Contains("/bad/", StringComparison.Ordinal), FaultKind.InternalServerError);
        var options = Fast(attempts: 1_000_000);
        options.TotalTimeout = TimeSpan.FromSeconds(1);
        var store = new ResilientStore(Http(proxy.Url(folder)), options);
        using (var warm = await store.GetAsync("good", default, Ct)) Assert.Equal([2], warm!.ToArray()); // a warm connection
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("bad/0", default, Ct));
        Assert.Contains("total timeout", e.Message);
        Assert.Contains("'bad/0'", e.Message);
        Assert.Equal(500, e.Status);
        // Every request the proxy saw was an attempt; the attempt the total timeout cut short may not have reached it yet.
        long served = proxy.Requests - 1;
        Assert.True(e.Attempts > 1 && (e.Attempts == served || e.Attempts == served + 1), $"{e.Attempts} attempts, {served} requests");
    }

    [Fact]
    public async Task NotFoundAndForbiddenAreOneRequestEach()
    {
        var folder = Folder();
        await using var proxy = new FaultProxy(nginx.BaseUri);
        var store = new ResilientStore(Http(proxy.Url(folder)), Fast());
        Assert.Null(await store.GetAsync("absent", default, Ct));
        Assert.Equal(1, proxy.Requests);

        var forbidden = new ResilientStore(Http(proxy.Url("status/403/")), Fast());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await forbidden.GetAsync("k", default, Ct));
        Assert.Equal(403, e.Status);
        Assert.False(e.IsTransient);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(2, proxy.Requests);
    }

    [Fact]
    public async Task ACutBodyIsNeverReturnedAsData()
    {
        var folder = Folder(new Dictionary<string, byte[]> { ["v"] = TestData.RandomBytes(50_000, 8) });
        await using var proxy = new FaultProxy(nginx.BaseUri, new FaultProxyOptions { Rate = 1, Kinds = [FaultKind.TruncatedBody] });
        var http = Http(proxy.Url(folder));

        var bare = await Assert.ThrowsAsync<StoreException>(async () => await http.GetAsync("v", ByteRange.Bounded(100, 20_000), Ct));
        Assert.True(bare.IsTransient);
        var retried = await Assert.ThrowsAsync<StoreException>(async () => await new ResilientStore(http, Fast(attempts: 3)).GetAsync("v", default, Ct));
        Assert.Equal(3, retried.Attempts);
        Assert.True(retried.IsTransient);
        Assert.Equal(4, proxy.Injected(FaultKind.TruncatedBody));
    }

    [Fact]
    public async Task CallerCancellationStopsPromptlyAndIsNotRetried()
    {
        var folder = Folder(new Dictionary<string, byte[]> { ["v"] = [1] });
        await using var proxy = new FaultProxy(nginx.BaseUri, new FaultProxyOptions { Rate = 1, Kinds = [FaultKind.Delay], Delay = TimeSpan.FromSeconds(60) });
        var store = new ResilientStore(Http(proxy.Url(folder)), new ResilienceOptions());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync("v", default, cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(1, proxy.Requests);
    }

    [Fact]
    public async Task TheProxyForwardsWritesRangesAndKeepAliveUnchanged()
    {
        var folder = Folder();
        await using var proxy = new FaultProxy(nginx.BaseUri);
        var store = new HttpStore(new HttpClient(), proxy.Url(folder), new HttpStoreOptions { AllowWrites = true });
        var value = TestData.RandomBytes(300_000, 9);
        await store.SetAsync("w/x", value, Ct);
        Assert.Equal(value, File.ReadAllBytes(Path.Combine(nginx.Root, folder, "w", "x")));
        using (var v = await store.GetAsync("w/x", ByteRange.Suffix(1000), Ct)) Assert.Equal(value[^1000..], v!.ToArray());
        using (var v = await store.GetAsync("w/x", ByteRange.Bounded(5, 7), Ct)) Assert.Equal(value[5..12], v!.ToArray());
        Assert.True(await store.ExistsAsync("w/x", Ct));
        await store.DeleteAsync("w/x", Ct);
        Assert.False(File.Exists(Path.Combine(nginx.Root, folder, "w", "x")));
        Assert.Equal(5, proxy.Requests); // PUT, two GETs, HEAD, DELETE
        Assert.Equal(1, proxy.Connections); // kept alive across all of them
        Assert.Equal(0, proxy.InjectedTotal);
    }

    [Fact]
    public async Task RetryAfterReachesTheExceptionInBothForms()
    {
        var folder = Folder(new Dictionary<string, byte[]> { ["v"] = [1] });
        await using var proxy = new FaultProxy(nginx.BaseUri, new FaultProxyOptions { Rate = 1, Kinds = [FaultKind.ServiceUnavailableRetryAfter], RetryAfter = TimeSpan.FromSeconds(7) });
        var http = Http(proxy.Url(folder));
        // The proxy sends an HTTP date first (whole seconds, so up to 7 s from now), then delta-seconds.
        var byDate = await Assert.ThrowsAsync<StoreException>(async () => await http.GetAsync("v", default, Ct));
        Assert.InRange(byDate.RetryAfter!.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        var byDelta = await Assert.ThrowsAsync<StoreException>(async () => await http.GetAsync("v", default, Ct));
        Assert.Equal(TimeSpan.FromSeconds(7), byDelta.RetryAfter);
        Assert.Equal(503, byDelta.Status);
        Assert.True(byDelta.IsTransient);
    }
}
