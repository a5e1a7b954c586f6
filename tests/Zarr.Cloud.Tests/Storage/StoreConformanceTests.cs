using System.Text;

namespace Zarr.Cloud.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IAsyncStore"/> must have. Each store's tests derive from this class and
/// supply a fresh, empty, writable store; cloud stores derive from it too, against their emulators.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private IAsyncStore? _store;

    /// <summary>Creates a new, empty, writable store.</summary>
    protected abstract ValueTask<IAsyncStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made (folders, buckets).</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    /// <summary>The store under test.</summary>
    protected IAsyncStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected static CancellationToken Ct => TestData.Ct;

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<byte[]?> GetBytesAsync(string key, ByteRange range = default)
    {
        using var v = await Store.GetAsync(key, range, Ct);
        return v?.ToArray();
    }

    /// <summary>
    /// The keys with <paramref name="prefix"/>, sorted, for assertions. Through the store by default; a store that
    /// cannot list (HTTP) overrides it to look at what its server stored, so the other tests keep their checks.
    /// </summary>
    protected virtual async Task<List<string>> ListAsync(string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var k in Store.ListAsync(prefix, Ct)) keys.Add(k);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>
    /// True when the store lists keys. A store without <see cref="StoreCapabilities.List"/> (plain HTTP) must refuse
    /// listing with <see cref="NotSupportedException"/>: that is asserted here, and the listing test ends.
    /// </summary>
    protected async Task<bool> StoreListsAsync()
    {
        if (Store.Capabilities.HasFlag(StoreCapabilities.List)) return true;
        await Assert.ThrowsAsync<NotSupportedException>(async () => { await foreach (var _ in Store.ListAsync("", Ct)) { } });
        return false;
    }

    // ------------------------------------------------------------------ reads

    [Fact]
    public async Task GetOfMissingKeyReturnsNull()
    {
        Assert.Null(await GetBytesAsync("missing"));
        Assert.Null(await GetBytesAsync("no/such/folder/key"));
        Assert.Null(await GetBytesAsync("missing", ByteRange.Bounded(0, 10)));
        Assert.Null(await GetBytesAsync("missing", ByteRange.Suffix(4)));
        Assert.Null(await GetBytesAsync("missing", ByteRange.FromOffset(3)));
    }

    [Fact]
    public async Task GetReturnsWhatWasSet()
    {
        var value = TestData.RandomBytes(1000);
        await Store.SetAsync("k", value, Ct);
        Assert.Equal(value, await GetBytesAsync("k"));
        Assert.Equal(value, await GetBytesAsync("k", ByteRange.All));
    }

    public static TheoryData<string, long, long, int, int> ServedRanges => new()
    {
        // kind, offset, length, expected start, expected length (value of 100 bytes)
        { "bounded", 10, 20, 10, 20 },
        { "bounded", 0, 100, 0, 100 },
        { "bounded", 0, 1, 0, 1 },
        { "bounded", 99, 1, 99, 1 },
        { "bounded", 90, 20, 90, 10 },        // the end is clamped, as HTTP does
        { "bounded", 0, 0, 0, 0 },            // an empty range of an existing value
        { "from", 0, 0, 0, 100 },
        { "from", 95, 0, 95, 5 },
        { "from", 99, 0, 99, 1 },
        { "suffix", 0, 7, 93, 7 },
        { "suffix", 0, 100, 0, 100 },
        { "suffix", 0, 1000, 0, 100 },        // a suffix longer than the value is the whole value
    };

    [Theory]
    [MemberData(nameof(ServedRanges))]
    public async Task GetServesEveryKindOfRange(string kind, long offset, long length, int expectedStart, int expectedLength)
    {
        var value = TestData.Sequence(100);
        await Store.SetAsync("r/value", value, Ct);
        var range = kind switch
        {
            "bounded" => ByteRange.Bounded(offset, length),
            "from" => ByteRange.FromOffset(offset),
            _ => ByteRange.Suffix(length),
        };
        var got = await GetBytesAsync("r/value", range);
        Assert.NotNull(got);
        Assert.Equal(value.AsSpan(expectedStart, expectedLength).ToArray(), got);
    }

    public static TheoryData<string, long, long> UnsatisfiableRanges => new()
    {
        { "bounded", 100, 1 },
        { "bounded", 150, 10 },
        { "from", 100, 0 },
        { "from", 1000, 0 },
    };

    [Theory]
    [MemberData(nameof(UnsatisfiableRanges))]
    public async Task GetOfRangePastTheEndThrows416(string kind, long offset, long length)
    {
        await Store.SetAsync("r/value", TestData.Sequence(100), Ct);
        var range = kind == "bounded" ? ByteRange.Bounded(offset, length) : ByteRange.FromOffset(offset);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store.GetAsync("r/value", range, Ct));
        Assert.Equal(416, e.Status);
        Assert.Equal("r/value", e.Key);
        Assert.Contains("r/value", e.Message);
    }

    [Fact]
    public async Task EmptyValuesAreStoredAndRead()
    {
        await Store.SetAsync("empty", ReadOnlyMemory<byte>.Empty, Ct);
        var whole = await GetBytesAsync("empty");
        Assert.NotNull(whole);
        Assert.Empty(whole);
        Assert.Empty((await GetBytesAsync("empty", ByteRange.Bounded(0, 0)))!);
        Assert.Empty((await GetBytesAsync("empty", ByteRange.Suffix(10)))!);
        Assert.Empty((await GetBytesAsync("empty", ByteRange.FromOffset(0)))!);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store.GetAsync("empty", ByteRange.Bounded(0, 1), Ct));
        Assert.Equal(416, e.Status);
        Assert.Contains("empty", await ListAsync());
    }

    [Fact]
    public async Task ExistsDistinguishesEmptyFromMissing()
    {
        await Store.SetAsync("present", ReadOnlyMemory<byte>.Empty, Ct);
        Assert.True(await Store.ExistsAsync("present", Ct));
        Assert.False(await Store.ExistsAsync("absent", Ct));
    }

    [Fact]
    public async Task AFolderOfKeysIsNotItselfAKey()
    {
        await Store.SetAsync("dir/child", new byte[] { 1 }, Ct);
        Assert.Null(await GetBytesAsync("dir"));
    }

    // ------------------------------------------------------------------ listing

    [Fact]
    public async Task ListReturnsKeysWithThePrefix()
    {
        if (!await StoreListsAsync()) return;
        string[] keys = ["a/b", "a/c/d", "a/c/e/f", "ab", "b/x", "bb"];
        foreach (var k in keys) await Store.SetAsync(k, Encoding.UTF8.GetBytes(k), Ct);
        Assert.Equal(keys, await ListAsync());
        Assert.Equal(["a/b", "a/c/d", "a/c/e/f"], await ListAsync("a/"));
        Assert.Equal(["a/b", "a/c/d", "a/c/e/f", "ab"], await ListAsync("a"));
        Assert.Equal(["a/c/d", "a/c/e/f"], await ListAsync("a/c/"));
        Assert.Equal(["a/c/d", "a/c/e/f"], await ListAsync("a/c"));
        Assert.Equal(["b/x", "bb"], await ListAsync("b"));
        Assert.Equal(["b/x"], await ListAsync("b/"));
        Assert.Empty(await ListAsync("zzz"));
        Assert.Empty(await ListAsync("a/x/"));
    }

    [Fact]
    public async Task ListOfEmptyStoreIsEmpty()
    {
        if (!await StoreListsAsync()) return;
        Assert.Empty(await ListAsync());
        Assert.Empty(await ListAsync("a/"));
    }

    [Fact]
    public async Task NestedAndUnicodeKeysRoundTrip()
    {
        string[] keys = ["x/y/z/w/v/u/deep.bin", "données/ñandú/日本語", "emoji/🎉/ключ", "with space/and-dash_and.dot", "c/0/1/2"];
        for (int i = 0; i < keys.Length; i++) await Store.SetAsync(keys[i], TestData.RandomBytes(10 + i, i), Ct);
        for (int i = 0; i < keys.Length; i++) Assert.Equal(TestData.RandomBytes(10 + i, i), await GetBytesAsync(keys[i]));
        Assert.Equal(keys.Order(StringComparer.Ordinal), await ListAsync());
        Assert.Equal(["données/ñandú/日本語"], await ListAsync("données/"));
        Assert.Equal(["emoji/🎉/ключ"], await ListAsync("emoji/🎉"));
    }

    // ------------------------------------------------------------------ writes

    [Fact]
    public async Task SetOverwritesWithShorterAndLongerValues()
    {
        await Store.SetAsync("k", TestData.RandomBytes(500, 1), Ct);
        await Store.SetAsync("k", TestData.RandomBytes(20, 2), Ct);
        Assert.Equal(TestData.RandomBytes(20, 2), await GetBytesAsync("k"));
        await Store.SetAsync("k", TestData.RandomBytes(900, 3), Ct);
        Assert.Equal(TestData.RandomBytes(900, 3), await GetBytesAsync("k"));
        Assert.Equal(["k"], await ListAsync());
    }

    [Fact]
    public async Task SetCopiesTheCallersBuffer()
    {
        var value = new byte[] { 1, 2, 3 };
        await Store.SetAsync("k", value, Ct);
        value[0] = 99;
        Assert.Equal(new byte[] { 1, 2, 3 }, await GetBytesAsync("k"));
    }

    [Fact]
    public async Task DeleteRemovesTheKey()
    {
        await Store.SetAsync("a/b", new byte[] { 1 }, Ct);
        await Store.SetAsync("a/c", new byte[] { 2 }, Ct);
        await Store.DeleteAsync("a/b", Ct);
        Assert.Null(await GetBytesAsync("a/b"));
        Assert.Equal(new byte[] { 2 }, await GetBytesAsync("a/c"));
        Assert.Equal(["a/c"], await ListAsync());
    }

    [Fact]
    public async Task DeleteOfMissingKeyIsNotAnError()
    {
        await Store.DeleteAsync("never-written", Ct);
        await Store.DeleteAsync("no/such/folder/key", Ct);
        await Store.SetAsync("k", new byte[] { 1 }, Ct);
        await Store.DeleteAsync("k", Ct);
        await Store.DeleteAsync("k", Ct);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task ConcurrentWritesOfDifferentKeysAllLand()
    {
        const int n = 64;
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct },
            async (i, ct) => await Store.SetAsync($"c/{i % 4}/{i}", TestData.RandomBytes(100 + i, i), ct));
        for (int i = 0; i < n; i++) Assert.Equal(TestData.RandomBytes(100 + i, i), await GetBytesAsync($"c/{i % 4}/{i}"));
        Assert.Equal(n, (await ListAsync("c/")).Count);
    }

    [Fact]
    public async Task ConcurrentWritesOfOneKeyLeaveOneWholeValue()
    {
        var values = Enumerable.Range(0, 16).Select(i => TestData.RandomBytes(4096, i)).ToArray();
        await Parallel.ForEachAsync(values, new ParallelOptions { CancellationToken = Ct }, async (v, ct) => await Store.SetAsync("same", v, ct));
        var got = await GetBytesAsync("same");
        Assert.Contains(values, v => v.AsSpan().SequenceEqual(got));
        Assert.Equal(["same"], await ListAsync());
    }

    // ------------------------------------------------------------------ batched ranges

    [Fact]
    public async Task GetRangesReturnsResultsInRequestOrder()
    {
        var value = TestData.Sequence(200);
        await Store.SetAsync("multi", value, Ct);
        ByteRange[] ranges = [ByteRange.Suffix(3), ByteRange.Bounded(0, 2), ByteRange.FromOffset(150), ByteRange.All, ByteRange.Bounded(100, 10), ByteRange.Bounded(5, 0)];
        var results = await Store.GetRangesAsync("multi", ranges, Ct);
        Assert.Equal(ranges.Length, results.Count);
        Assert.Equal(value[197..], results[0]!.ToArray());
        Assert.Equal(value[..2], results[1]!.ToArray());
        Assert.Equal(value[150..], results[2]!.ToArray());
        Assert.Equal(value, results[3]!.ToArray());
        Assert.Equal(value[100..110], results[4]!.ToArray());
        Assert.Empty(results[5]!.ToArray());
        foreach (var r in results) r?.Dispose();
    }

    [Fact]
    public async Task GetRangesOfMissingKeyReturnsNulls()
    {
        var results = await Store.GetRangesAsync("missing", [ByteRange.Bounded(0, 1), ByteRange.Suffix(2)], Ct);
        Assert.Equal(2, results.Count);
        Assert.All(results, Assert.Null);
    }

    [Fact]
    public async Task GetRangesWithNoRangesReturnsEmpty()
    {
        await Store.SetAsync("k", new byte[] { 1 }, Ct);
        Assert.Empty(await Store.GetRangesAsync("k", [], Ct));
    }

    [Fact]
    public async Task ACancelledTokenCancels()
    {
        await Store.SetAsync("k", new byte[] { 1 }, Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetAsync("k", default, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.SetAsync("k", new byte[] { 2 }, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetRangesAsync("k", [ByteRange.All], cts.Token));
        if (Store.Capabilities.HasFlag(StoreCapabilities.List))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { await foreach (var _ in Store.ListAsync("", cts.Token)) { } });
        Assert.Equal(new byte[] { 1 }, await GetBytesAsync("k"));
    }

    // ------------------------------------------------------------------ keys

    public static TheoryData<string> InvalidKeys => new()
    {
        "..", "../x", "a/../b", "a/..", ".", "./a", "/a", "/", "a\\b", "a//b", "a//b/", "a/", "",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task InvalidKeysAreRejected(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.GetAsync(key, default, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetAsync(key, new byte[] { 1 }, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.DeleteAsync(key, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.GetRangesAsync(key, [ByteRange.All], Ct));
        Assert.Empty(await ListAsync());
    }
}
