namespace Zarr.Cloud.Tests.Arrays;

/// <summary>StreamAsync's bounds: memory in flight, cancellation, errors at their part, options, and progress (of ReadAsync too).</summary>
public sealed class StreamBoundsTests : StoreBackedTests
{
    private const int ChunkBytes = 8 * 64 * 4;

    /// <summary>An int32 array of <paramref name="rows"/> x 64 in chunks of 8 rows (2 KiB decoded each), over a recording store.</summary>
    private static async Task<(ZarrArray Array, StreamRecordingStore Store)> CreateAsync(int rows = 128, ZarrOpenOptions? options = null)
    {
        var memory = new MemoryStore();
        var array = await ZarrArray.CreateAsync(memory, "a", new ZarrArrayDefinition { Shape = [rows, 64], ChunkShape = [8, 64], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(0, rows * 64).ToArray(), rows, 64), Ct);
        var store = new StreamRecordingStore(memory);
        return (await ZarrArray.OpenAsync(store, "a", options, Ct), store);
    }

    [Theory]
    [InlineData(3 * ChunkBytes, 3, true)]
    [InlineData(3 * ChunkBytes, 3, false)]
    [InlineData(3 * ChunkBytes + ChunkBytes / 2, 3, true)]
    [InlineData(1, 1, true)] // a part larger than the bound is read alone
    public async Task ChunksFetchedButNotConsumedStayWithinTheBound(long maxBytes, int maxParts, bool ordered)
    {
        var (array, store) = await CreateAsync();
        int consumed = 0, mostAhead = 0;
        var options = new StreamOptions { MaxBytesInFlight = maxBytes, Ordered = ordered, MaxConcurrency = 8 };
        await foreach (var part in array.StreamAsync<int>(Selection.All, options, Ct))
        {
            // The slow consumer: give the reader every chance to run ahead before looking.
            await StreamRecordingStore.EventuallyAsync(() => store.ChunkRequests >= Math.Min(16, consumed + maxParts));
            await Task.Delay(5, Ct);
            int ahead = store.ChunkRequests - consumed;
            Assert.True(ahead <= maxParts, $"part {consumed}: {store.ChunkRequests} chunks requested, {consumed} consumed, bound {maxParts} parts");
            mostAhead = Math.Max(mostAhead, ahead);
            consumed++;
        }
        Assert.Equal(16, consumed);
        Assert.Equal(maxParts, mostAhead); // and it does read ahead up to the bound
    }

    [Fact]
    public async Task BreakingOutStopsFurtherRequestsAndCancelsHeldOnes()
    {
        var (array, store) = await CreateAsync(rows: 800); // 100 chunks
        for (int i = 3; i < 100; i++) store.Hold($"a/c/{i}/0");
        int n = 0;
        await foreach (var part in array.StreamAsync<int>(Selection.All, new StreamOptions { MaxConcurrency = 4 }, Ct))
        {
            if (++n == 3) break; // the held reads are outstanding now
        }
        // Leaving the loop waited for the outstanding reads: they were cancelled, and nothing more is asked for.
        int requests = store.ChunkRequests;
        Assert.InRange(requests, 3, 3 + 4);
        Assert.Equal(requests - 3, store.Cancelled);
        await Task.Delay(100, Ct);
        Assert.Equal(requests, store.ChunkRequests);
    }

    [Fact]
    public async Task CancellingTheTokenEndsTheStreamPromptly()
    {
        var (array, store) = await CreateAsync();
        store.Hold("a/c/2/0");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int n = 0;
        var run = Task.Run(async () =>
        {
            await foreach (var part in array.StreamAsync<int>(Selection.All, new StreamOptions { MaxConcurrency = 2 }, cts.Token))
                if (++n == 2) cts.Cancel(); // the consumer now waits for the held part 2
        }, Ct);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.IsNotType<TimeoutException>(error);
        Assert.Equal(2, n);
        int requests = store.ChunkRequests;
        await Task.Delay(100, Ct);
        Assert.Equal(requests, store.ChunkRequests);
    }

    [Fact]
    public async Task ACorruptChunkFailsAtItsPartNamingTheKey()
    {
        var (array, store) = await CreateAsync(rows: 32);
        await store.SetAsync("a/c/2/0", new byte[] { 1, 2, 3 }, Ct);
        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<ZarrCodecException>(async () =>
        {
            await foreach (var part in array.StreamAsync<int>(Selection.All, new StreamOptions { MaxConcurrency = 4 }, Ct)) seen.Add(part.ChunkCoordinates[0]);
        });
        Assert.Equal([0L, 1L], seen);
        Assert.Contains("a/c/2/0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingChunkFailsAtItsPartWhenMissingChunksThrow()
    {
        var (array, store) = await CreateAsync(rows: 32, new ZarrOpenOptions { MissingChunks = MissingChunkBehavior.Throw });
        await store.DeleteAsync("a/c/1/0", Ct);
        var seen = new List<long>();
        var e = await Assert.ThrowsAsync<ZarrChunkNotFoundException>(async () =>
        {
            await foreach (var part in array.StreamAsync<int>(Selection.All, cancellationToken: Ct)) seen.Add(part.ChunkCoordinates[0]);
        });
        Assert.Equal([0L], seen);
        Assert.Contains("a/c/1/0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, null, "MaxBytesInFlight")]
    [InlineData(-5L, null, "MaxBytesInFlight")]
    [InlineData(1024L, 0, "MaxConcurrency")]
    public async Task BadOptionsThrowAtTheCallNamingTheOption(long maxBytes, int? concurrency, string name)
    {
        var (array, store) = await CreateAsync(rows: 16);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => array.StreamAsync<int>(Selection.All, new StreamOptions { MaxBytesInFlight = maxBytes, MaxConcurrency = concurrency }, Ct));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.ChunkRequests);
    }

    [Fact]
    public async Task BadTypeAndSelectionThrowAtTheCall()
    {
        var (array, _) = await CreateAsync(rows: 16);
        Assert.Throws<ArgumentException>(() => array.StreamAsync<float>(Selection.All, cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => array.StreamAsync<int>(16));
        Assert.Throws<ArgumentException>(() => array.StreamAsync<int>(1, 2, 3));
    }

    /// <summary>Keeps every report, on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class ProgressLog : IProgress<ZarrProgress>
    {
        public List<ZarrProgress> Reports { get; } = [];

        public void Report(ZarrProgress value)
        {
            lock (Reports) Reports.Add(value);
        }

        public void AssertComplete(long chunks, long bytes)
        {
            Assert.Equal(new ZarrProgress(0, chunks, 0, TimeSpan.Zero), Reports[0]);
            Assert.Equal(chunks + 1, Reports.Count);
            for (int i = 1; i < Reports.Count; i++)
            {
                Assert.Equal(i, Reports[i].ChunksDone);
                Assert.Equal(chunks, Reports[i].ChunksTotal);
                Assert.True(Reports[i].BytesDone > Reports[i - 1].BytesDone);
                Assert.True(Reports[i].Elapsed >= Reports[i - 1].Elapsed);
            }
            Assert.Equal(bytes, Reports[^1].BytesDone);
            Assert.Equal(1.0, Reports[^1].Fraction);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamProgressReachesTheTotalExactly(bool ordered)
    {
        var (array, _) = await CreateAsync();
        var log = new ProgressLog();
        int parts = 0;
        // Rows 3..117 touch chunks 0..14, 115 rows of 64 int32.
        await foreach (var part in array.StreamAsync<int>(new Selection(3..118), new StreamOptions { Ordered = ordered, Progress = log }, Ct))
        {
            parts++;
            Assert.Equal(parts, log.Reports[^1].ChunksDone); // reported as the part is handed over
        }
        log.AssertComplete(15, 115 * 64 * 4);
    }

    [Fact]
    public async Task ReadAsyncReportsProgressOnBothOverloads()
    {
        var (array, _) = await CreateAsync();
        var log = new ProgressLog();
        var got = await array.ReadAsync<int>(new Selection(3..118, 1..3), log, Ct);
        Assert.Equal((await array.ReadAsync<int>(3..118, 1..3)).Data, got.Data);
        log.AssertComplete(15, 115 * 2 * 4);

        var into = new ProgressLog();
        var buffer = new int[128 * 64];
        await array.ReadAsync<int>(Selection.All, buffer.AsMemory(), into, Ct);
        Assert.Equal(Enumerable.Range(0, 128 * 64), buffer);
        into.AssertComplete(16, 128 * 64 * 4);
    }
}
