using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// ResilientStore's pipeline against a store that fails on cue: what is retried, how long it waits (on a fake clock),
/// what the caller sees when it gives up, and that batches retry one request at a time.
/// </summary>
public sealed class ResilientStoreTests
{
    private static CancellationToken Ct => TestData.Ct;

    /// <summary>Fast retries on the real clock.</summary>
    private static ResilienceOptions Fast(int attempts = 10) => new() { MaxAttempts = attempts, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private static string UniqueBackend() => "stub-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(1, Ct);
        }
    }

    [Fact]
    public async Task TransientFailuresAreRetriedUntilTheValueComes()
    {
        var backend = UniqueBackend();
        var stub = new FailingStore { FailWith = (k, _, n) => n <= 3 ? FailingStore.Transient(k, n == 2 ? 429 : 503, backend: backend) : null };
        await stub.Data.SetAsync("a/0", TestData.Sequence(100), Ct);
        var logger = new ListLogger();
        using var meter = new RetryMeter();
        var store = new ResilientStore(stub, Fast(), logger);

        using var v = await store.GetAsync("a/0", ByteRange.Bounded(10, 5), Ct);

        Assert.Equal(TestData.Sequence(100)[10..15], v!.ToArray());
        Assert.Equal(4, stub.Calls);
        Assert.Equal(3, meter.RetriesOf(backend));
        Assert.Equal([503, 429, 503], meter.StatusesOf(backend).Cast<int>());
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains("'a/0'", warnings[1]);
        Assert.Contains("attempt 2", warnings[1]);
        Assert.Contains("429", warnings[1]);
        Assert.Contains("waiting", warnings[1]);
    }

    [Fact]
    public async Task AMissingKeyIsOneAttemptAndNull()
    {
        var stub = new FailingStore();
        var store = new ResilientStore(stub, Fast());
        Assert.Null(await store.GetAsync("nothing", default, Ct));
        Assert.Equal(1, stub.Calls);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(416)]
    public async Task OtherClientErrorsAreNotRetried(int status)
    {
        var failure = FailingStore.Permanent("k", status);
        var stub = new FailingStore { FailWith = (_, _, _) => failure };
        var store = new ResilientStore(stub, Fast());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Same(failure, e);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(1, stub.Calls);
    }

    [Fact]
    public async Task ExhaustedRetriesNameTheKeyTheAttemptsAndTheLastStatus()
    {
        var stub = new FailingStore { FailWith = (k, _, _) => FailingStore.Transient(k, 503) };
        var store = new ResilientStore(stub, Fast(attempts: 4));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("arr/c/1/2", default, Ct));
        Assert.Equal(4, stub.Calls);
        Assert.Equal(4, e.Attempts);
        Assert.Equal(503, e.Status);
        Assert.Equal("arr/c/1/2", e.Key);
        Assert.True(e.IsTransient);
        Assert.Contains("'arr/c/1/2'", e.Message);
        Assert.Contains("4 attempts", e.Message);
        Assert.Contains("503", e.Message);
        Assert.IsType<StoreException>(e.InnerException);
    }

    [Fact]
    public async Task UnmappedNetworkErrorsAreTransientToo()
    {
        var stub = new FailingStore { FailWith = (_, _, n) => n == 1 ? new IOException("connection reset by peer") : null };
        await stub.Data.SetAsync("k", new byte[] { 7 }, Ct);
        using var v = await new ResilientStore(stub, Fast()).GetAsync("k", default, Ct);
        Assert.Equal([7], v!.ToArray());
        Assert.Equal(2, stub.Calls);
    }

    [Fact]
    public async Task DisabledMeansOneAttemptAndTheBackendsException()
    {
        var failure = FailingStore.Transient("k", 503);
        var stub = new FailingStore { FailWith = (_, _, _) => failure };
        var options = Fast();
        options.Enabled = false;
        var e = await Assert.ThrowsAsync<StoreException>(async () => await new ResilientStore(stub, options).GetAsync("k", default, Ct));
        Assert.Same(failure, e);
        Assert.Equal(1, stub.Calls);
    }

    [Fact]
    public async Task RetryAfterIsHonouredOnTheClock()
    {
        var clock = new FakeTimeProvider();
        var stub = new FailingStore { FailWith = (k, _, n) => n == 1 ? FailingStore.Transient(k, 503, TimeSpan.FromSeconds(5)) : null };
        await stub.Data.SetAsync("k", new byte[] { 1, 2 }, Ct);
        var store = new ResilientStore(stub, new ResilienceOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(15) }, timeProvider: clock);

        var read = store.GetAsync("k", default, Ct).AsTask();
        await WaitUntilAsync(() => stub.Calls == 1, "the first attempt failed");
        clock.Advance(TimeSpan.FromMilliseconds(4900));
        await Task.Delay(50, Ct);
        Assert.False(read.IsCompleted, "the retry came before the 5 s Retry-After");
        Assert.Equal(1, stub.Calls);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        using var v = await read.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal([1, 2], v!.ToArray());
        Assert.Equal(2, stub.Calls);
    }

    [Fact]
    public async Task RetryAfterIsCappedByMaxDelayAndIgnoredWhenTurnedOff()
    {
        foreach (var honour in new[] { true, false })
        {
            var clock = new FakeTimeProvider();
            var stub = new FailingStore { FailWith = (k, _, n) => n == 1 ? FailingStore.Transient(k, 429, TimeSpan.FromMinutes(10)) : null };
            await stub.Data.SetAsync("k", new byte[] { 3 }, Ct);
            var options = new ResilienceOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(2), HonorRetryAfter = honour };
            var read = new ResilientStore(stub, options, timeProvider: clock).GetAsync("k", default, Ct).AsTask();
            await WaitUntilAsync(() => stub.Calls >= 1, "the first attempt failed");
            clock.Advance(TimeSpan.FromSeconds(2));
            using var v = await read.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            Assert.Equal([3], v!.ToArray());
        }
    }

    [Fact]
    public async Task TheTotalTimeoutEndsARequestThatKeepsFailing()
    {
        var clock = new FakeTimeProvider();
        var stub = new FailingStore { FailWith = (k, _, _) => FailingStore.Transient(k, 503, TimeSpan.FromSeconds(10)) };
        var options = new ResilienceOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(15), TotalTimeout = TimeSpan.FromSeconds(25) };
        var read = new ResilientStore(stub, options, timeProvider: clock).GetAsync("slow/key", default, Ct).AsTask();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await WaitUntilAsync(() => stub.Calls == attempt, $"attempt {attempt} ran");
            clock.Advance(TimeSpan.FromSeconds(attempt < 3 ? 10 : 5));
        }
        var e = await Assert.ThrowsAsync<StoreException>(async () => await read.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal(3, stub.Calls);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(503, e.Status);
        Assert.Contains("'slow/key'", e.Message);
        Assert.Contains("total timeout", e.Message);
        Assert.Contains("3 attempts", e.Message);
    }

    [Fact]
    public async Task AnAttemptThatHangsTimesOutAndIsRetried()
    {
        var clock = new FakeTimeProvider();
        var stub = new FailingStore { Hang = true };
        var options = new ResilienceOptions { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(1) };
        // Over an instrumentation layer, as StoreStack builds it: the failure still names the backend, not the layer.
        var read = new ResilientStore(new InstrumentedStore(stub), options, timeProvider: clock).GetAsync("hung", default, Ct).AsTask();
        await WaitUntilAsync(() => stub.Calls == 1, "the first attempt started");
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => { clock.Advance(TimeSpan.FromMilliseconds(1)); return stub.Calls == 2; }, "the second attempt started");
        clock.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await read.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal(2, e.Attempts);
        Assert.Contains("AttemptTimeout", e.Message);
        Assert.Contains("'hung'", e.Message);
        Assert.Equal(InstrumentedStore.BackendName(stub), e.Backend);
        Assert.Equal("failing", e.Backend);
    }

    [Fact]
    public async Task CallerCancellationStopsAndIsNotRetried()
    {
        var stub = new FailingStore { Hang = true };
        var store = new ResilientStore(stub, Fast());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var read = store.GetAsync("k", default, cts.Token).AsTask();
        await WaitUntilAsync(() => stub.Calls == 1, "the attempt started");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal(1, stub.Calls);

        // Cancelled while waiting between attempts: no further attempt either.
        var failing = new FailingStore { FailWith = (k, _, _) => FailingStore.Transient(k, 503, TimeSpan.FromMinutes(1)) };
        using var cts2 = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var slow = new ResilientStore(failing, new ResilienceOptions { MaxDelay = TimeSpan.FromMinutes(1) }).GetAsync("k", default, cts2.Token).AsTask();
        await WaitUntilAsync(() => failing.Calls == 1, "the first attempt failed");
        cts2.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Equal(1, failing.Calls);
    }

    [Fact]
    public async Task ABatchRetriesOnlyTheRequestThatFailed()
    {
        var data = TestData.RandomBytes(10_000, 3);
        var flaky = ByteRange.Bounded(4000, 100);
        var stub = new FailingStore { FailWith = (k, r, n) => r == flaky && n <= 2 ? FailingStore.Transient(k, 500) : null };
        await stub.Data.SetAsync("big", data, Ct);
        var store = new ResilientStore(stub, Fast(), coalescing: new CoalescingOptions { MaxGapBytes = 0 });
        ByteRange[] ranges = [ByteRange.Bounded(0, 100), flaky, ByteRange.Bounded(8000, 50), ByteRange.Suffix(10), ByteRange.Bounded(8050, 10)];

        var values = await store.GetRangesAsync("big", ranges, Ct);
        try
        {
            Assert.Equal(data[..100], values[0]!.ToArray());
            Assert.Equal(data[4000..4100], values[1]!.ToArray());
            Assert.Equal(data[8000..8050], values[2]!.ToArray());
            Assert.Equal(data[^10..], values[3]!.ToArray());
            Assert.Equal(data[8050..8060], values[4]!.ToArray());
            Assert.Equal(3, stub.CallsOf("big", flaky));
            Assert.Equal(1, stub.CallsOf("big", ByteRange.Bounded(0, 100)));
            Assert.Equal(1, stub.CallsOf("big", ByteRange.Bounded(8000, 60))); // two touching ranges, one request
            Assert.Equal(1, stub.CallsOf("big", ByteRange.Suffix(10)));
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
        }
        Assert.All(stub.Buffers, b => Assert.True(b.Disposed));
    }

    [Fact]
    public async Task ABatchThatFailsReturnsEveryBufferItHadRead()
    {
        var stub = new FailingStore { FailWith = (k, r, _) => r.Offset == 9000 ? FailingStore.Permanent(k, 403) : null };
        await stub.Data.SetAsync("big", TestData.RandomBytes(10_000, 4), Ct);
        var store = new ResilientStore(stub, Fast(), coalescing: new CoalescingOptions { MaxGapBytes = 0, MaxConcurrentRequests = 1 });
        ByteRange[] ranges = [ByteRange.Bounded(0, 10), ByteRange.Bounded(3000, 10), ByteRange.Bounded(9000, 10)];
        await Assert.ThrowsAsync<StoreException>(async () => await store.GetRangesAsync("big", ranges, Ct));
        Assert.Equal(2, stub.Buffers.Count);
        Assert.All(stub.Buffers, b => Assert.True(b.Disposed));
    }

    [Fact]
    public async Task WritesAndDeletesAreRetried()
    {
        var stub = new FailingStore { FailWith = (k, _, n) => n is 1 or 3 ? FailingStore.Transient(k, 503) : null };
        var store = new ResilientStore(stub, Fast());
        await store.SetAsync("w", new byte[] { 9 }, Ct);
        Assert.Equal(2, stub.CallsOf("w"));
        using (var v = await stub.Data.GetAsync("w", default, Ct)) Assert.Equal([9], v!.ToArray());
        await store.DeleteAsync("w", Ct);
        Assert.Equal(4, stub.CallsOf("w")); // the delete failed once too (the third call)
        Assert.Null(await stub.Data.GetAsync("w", default, Ct));
    }

    [Fact]
    public async Task ListingIsRetriedOnlyBeforeItsFirstKey()
    {
        var stub = new FailingStore { ListFailWith = n => n == 1 ? FailingStore.Transient("", 503) : null };
        foreach (var k in new[] { "a", "b", "c" }) await stub.Data.SetAsync(k, new byte[] { 1 }, Ct);
        var store = new ResilientStore(stub, Fast());
        var keys = new List<string>();
        await foreach (var k in store.ListAsync("", Ct)) keys.Add(k);
        Assert.Equal(["a", "b", "c"], keys.Order());
        Assert.Equal(2, stub.ListCalls);

        var broken = new FailingStore { ListFailsAfterFirstKey = true };
        foreach (var k in new[] { "a", "b" }) await broken.Data.SetAsync(k, new byte[] { 1 }, Ct);
        var seen = new List<string>();
        await Assert.ThrowsAsync<StoreException>(async () =>
        {
            await foreach (var k in new ResilientStore(broken, Fast()).ListAsync("", Ct)) seen.Add(k);
        });
        Assert.Single(seen);
        Assert.Equal(1, broken.ListCalls);
    }

    [Fact]
    public async Task RetryWarningsCarryNoSecrets()
    {
        var stub = new FailingStore
        {
            FailWith = (k, _, n) => n == 1 ? new StoreException(k, "http", "GET https://h.example/k?X-Amz-Signature=deadbeefcafe&sig=s3cr3t answered 503", 503, true) : null,
        };
        await stub.Data.SetAsync("k", new byte[] { 1 }, Ct);
        var logger = new ListLogger();
        using var v = await new ResilientStore(stub, Fast(), logger).GetAsync("k", default, Ct);
        var line = Assert.Single(logger.Entries).Message;
        Assert.DoesNotContain("deadbeefcafe", line);
        Assert.DoesNotContain("s3cr3t", line);
        Assert.Contains("503", line);
    }

    [Theory]
    [InlineData(nameof(ResilienceOptions.MaxAttempts))]
    [InlineData(nameof(ResilienceOptions.InitialDelay))]
    [InlineData(nameof(ResilienceOptions.MaxDelay))]
    [InlineData(nameof(ResilienceOptions.AttemptTimeout))]
    [InlineData(nameof(ResilienceOptions.TotalTimeout))]
    public void BadOptionsAreRefusedByName(string property)
    {
        var options = new ResilienceOptions();
        switch (property)
        {
            case nameof(ResilienceOptions.MaxAttempts): options.MaxAttempts = 0; break;
            case nameof(ResilienceOptions.InitialDelay): options.InitialDelay = TimeSpan.FromSeconds(-1); break;
            case nameof(ResilienceOptions.MaxDelay): options.MaxDelay = TimeSpan.FromMilliseconds(10); break; // below InitialDelay (100 ms)
            case nameof(ResilienceOptions.AttemptTimeout): options.AttemptTimeout = TimeSpan.FromMilliseconds(1); break;
            case nameof(ResilienceOptions.TotalTimeout): options.TotalTimeout = TimeSpan.Zero; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ResilientStore(new MemoryStore(), options));
        Assert.Equal(property, e.ParamName);
        Assert.Contains(property, e.Message);
    }

    [Fact]
    public void TheResolverRetriesRemoteStoresOnly()
    {
        var remote = StoreResolver.Resolve("http://127.0.0.1:9/data.zarr", new StoreOpenOptions { Resilience = { MaxAttempts = 3 } });
        var retrying = Assert.Single(Layers(remote.Store).OfType<ResilientStore>());
        Assert.Equal(3, retrying.Options.MaxAttempts);
        Assert.IsType<HttpStore>(remote.Store.GetBackend());
        Assert.Empty(Layers(StoreResolver.Resolve("memory://x").Store).OfType<ResilientStore>());
        using var dir = new TempDirectory();
        var local = StoreResolver.Resolve(dir.Path).Store;
        Assert.Empty(Layers(local).OfType<ResilientStore>());
        Assert.IsType<FileSystemStore>(local.GetBackend());
    }

    private static IEnumerable<IAsyncStore> Layers(IAsyncStore store)
    {
        for (IAsyncStore? s = store; s is not null; s = (s as DelegatingStore)?.Inner) yield return s;
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 0 ", 0)]
    [InlineData("soon", null)]
    [InlineData("", null)]
    public void RetryAfterSecondsAreRead(string header, int? seconds)
        => Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, RetryAfterHeader.Parse(header, DateTimeOffset.UtcNow));

    [Fact]
    public void RetryAfterDatesAreMeasuredFromNow()
    {
        var now = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterHeader.Parse("Sat, 01 Mar 2025 12:00:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse("Sat, 01 Mar 2025 11:00:00 GMT", now));
    }
}
