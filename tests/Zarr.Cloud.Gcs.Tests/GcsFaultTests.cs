using System.Text;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Gcs.Tests;

/// <summary>
/// Against a misbehaving server on 127.0.0.1: a read returns the exact bytes asked for or throws, never other bytes; errors
/// carry the status and whether a retry may help; a bearer token never shows.
/// </summary>
public sealed class GcsFaultTests
{
    private static readonly byte[] Value = TestData.Sequence(100);
    private const string Token = "ya29.RECOGNISABLE-BEARER-TOKEN-0123456789";

    private static CancellationToken Ct => TestData.Ct;

    private static GcsStore Store(FakeHttpServer server, string? token = null, TimeSpan? timeout = null, string? userProject = null)
        => GcsStore.FromUrl("gs://bucket/root", new GcsStoreOptions { ServiceUri = server.Uri, AccessToken = token, Anonymous = token is null, Timeout = timeout, UserProject = userProject });

    /// <summary>A server that ignores Range and always sends the whole 100-byte object with 200.</summary>
    private static byte[] WholeObject(FakeRequest r) => FakeHttpServer.Response(200, Value, null, ("ETag", "\"e1\""));

    public static TheoryData<string, long, long, int, int> Ranges => new()
    {
        { "bounded", 10, 20, 10, 20 },
        { "bounded", 90, 20, 90, 10 },
        { "from", 95, 0, 95, 5 },
        { "suffix", 0, 7, 93, 7 },
        { "suffix", 0, 1000, 0, 100 },
        { "all", 0, 0, 0, 100 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task AServerThatIgnoresRangesStillYieldsExactlyTheBytesAskedFor(string kind, long offset, long length, int start, int count)
    {
        await using var server = new FakeHttpServer(WholeObject);
        var range = kind switch { "bounded" => ByteRange.Bounded(offset, length), "from" => ByteRange.FromOffset(offset), "suffix" => ByteRange.Suffix(length), _ => ByteRange.All };
        using var v = await Store(server).GetAsync("k", range, Ct);
        Assert.Equal(Value.AsSpan(start, count).ToArray(), v!.ToArray());
        Assert.Equal(100, v.TotalLength);
        Assert.Equal("e1", v.ETag);  // unquoted, as in the object's metadata
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(150, 10)]
    public async Task AServerThatIgnoresRangesPastTheEndGives416NotData(long offset, long length)
    {
        await using var server = new FakeHttpServer(WholeObject);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server).GetAsync("k", ByteRange.Bounded(offset, length), Ct));
        Assert.Equal(416, e.Status);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task APartialAnswerForOtherBytesThanAskedIsAnErrorNotData()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Response(206, Value[..10], null, ("Content-Range", "bytes 0-9/100")));
        var store = Store(server);
        using (var ok = await store.GetAsync("k", ByteRange.Bounded(0, 10), Ct)) Assert.Equal(Value[..10], ok!.ToArray());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.Bounded(50, 10), Ct));
        Assert.True(e.IsTransient);
        Assert.Contains("answered bytes 0..10", e.Message);
        await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.Suffix(10), Ct));
    }

    [Fact]
    public async Task APartialAnswerWithoutContentRangeIsAnError()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Response(206, Value[..10]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server).GetAsync("k", ByteRange.Bounded(0, 10), Ct));
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(206)]
    public async Task ABodyShorterThanDeclaredIsATransientErrorNotData(int status)
    {
        await using var server = new FakeHttpServer(_ => status == 200
            ? FakeHttpServer.Response(200, Value[..50], declaredLength: 100)
            : FakeHttpServer.Response(206, Value[..5], declaredLength: 20, ("Content-Range", "bytes 0-19/100")));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server).GetAsync("k", status == 200 ? ByteRange.All : ByteRange.Bounded(0, 20), Ct));
        Assert.True(e.IsTransient);
        Assert.Equal("k", e.Key);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    public async Task ErrorAnswersCarryTheStatusAndWhetherToRetry(int status, bool transient)
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"what the service said\"}}"));
        var store = Store(server);
        foreach (var op in new Func<Task>[]
        {
            async () => await store.GetAsync("k", default, Ct),
            async () => await store.GetAsync("k", ByteRange.Bounded(0, 0), Ct),
            async () => await store.SetAsync("k", new byte[] { 1 }, Ct),
            async () => await store.DeleteAsync("k", Ct),
            async () => { await foreach (var _ in store.ListAsync("", Ct)) { } },
            async () => await store.ListDirAsync("", Ct),
        })
        {
            var e = await Assert.ThrowsAsync<StoreException>(op);
            Assert.Equal(status, e.Status);
            Assert.Equal(transient, e.IsTransient);
            Assert.Equal("gcs", e.Backend);
            Assert.Contains("what the service said", e.Message);
        }
    }

    [Fact]
    public async Task ABearerTokenIsSentButNeverAppearsEvenWhenTheServerEchoesIt()
    {
        await using var server = new FakeHttpServer(r => FakeHttpServer.Json(403, "{\"error\":{\"code\":403,\"message\":\"denied for " + r.Header("Authorization") + "\"}}"));
        var store = Store(server, Token);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal($"Bearer {Token}", server.Requests[0].Header("Authorization"));
        Assert.Equal(403, e.Status);
        Assert.Contains("access denied", e.Message);
        Assert.DoesNotContain("RECOGNISABLE", e.ToString());
        Assert.DoesNotContain("RECOGNISABLE", store.ToString());
        var l = await Assert.ThrowsAsync<StoreException>(async () => { await foreach (var _ in store.ListAsync("", Ct)) { } });
        Assert.DoesNotContain("RECOGNISABLE", l.ToString());
    }

    [Fact]
    public async Task AnonymousRequestsCarryNoAuthorization()
    {
        await using var server = new FakeHttpServer(WholeObject);
        using var v = await Store(server).GetAsync("k", default, Ct);
        Assert.Null(server.Requests[0].Header("Authorization"));
        Assert.Equal("/storage/v1/b/bucket/o/root%2Fk?alt=media", server.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task ASuffixOfAnEmptyObjectThatTheServiceAnswers416IsEmpty()
    {
        // Cloud Storage answers 416 to "bytes=-N" on an empty object; the store asks for its metadata and returns empty.
        await using var server = new FakeHttpServer(r => r.PathAndQuery.Contains("alt=media", StringComparison.Ordinal)
            ? FakeHttpServer.Response(416, [], null, ("Content-Range", "bytes */0"))
            : FakeHttpServer.Json(200, "{\"name\":\"root/k\",\"size\":\"0\",\"etag\":\"CAE=\"}"));
        using var v = await Store(server).GetAsync("k", ByteRange.Suffix(8), Ct);
        Assert.Equal(0, v!.Length);
        Assert.Equal(0, v.TotalLength);
        Assert.Equal("CAE=", v.ETag);
    }

    [Fact]
    public async Task A416ForABoundedRangeSaysHowLongTheValueIs()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Response(416, [], null, ("Content-Range", "bytes */100")));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server).GetAsync("k", ByteRange.Bounded(200, 5), Ct));
        Assert.Equal(416, e.Status);
        Assert.Contains("100 bytes", e.Message);
    }

    [Fact]
    public async Task AServerThatNeverAnswersTimesOutAsTransient()
    {
        await using var server = new FakeHttpServer(_ => null);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server, timeout: TimeSpan.FromMilliseconds(300)).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Equal(408, e.Status);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotATimeout()
    {
        await using var server = new FakeHttpServer(_ => null);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store(server).GetAsync("k", default, cts.Token));
    }

    [Fact]
    public async Task TheUserProjectOfARequesterPaysBucketGoesOnEveryRequest()
    {
        await using var server = new FakeHttpServer(r => r.PathAndQuery.Contains("/o?", StringComparison.Ordinal) && !r.PathAndQuery.Contains("/upload/", StringComparison.Ordinal)
            ? FakeHttpServer.Json(200, "{\"items\":[{\"name\":\"root/a\"}]}")
            : r.Method == "POST" ? FakeHttpServer.Json(200, "{}") : WholeObject(r));
        var store = Store(server, userProject: "my-project");
        using (var _ = await store.GetAsync("a", default, Ct)) { }
        await store.SetAsync("a", new byte[] { 1 }, Ct);
        await foreach (var _ in store.ListAsync("", Ct)) { }
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Contains("userProject=my-project", r.PathAndQuery));
    }

    [Fact]
    public async Task ListingFollowsPageTokensAndSkipsFolderPlaceholders()
    {
        await using var server = new FakeHttpServer(r => r.PathAndQuery.Contains("pageToken=p%2F2", StringComparison.Ordinal)
            ? FakeHttpServer.Json(200, "{\"items\":[{\"name\":\"root/c/1\"}],\"prefixes\":[\"root/c/\"]}")
            : FakeHttpServer.Json(200, "{\"items\":[{\"name\":\"root/\"},{\"name\":\"root/c/\"},{\"name\":\"root/c/0\"}],\"prefixes\":[\"root/c/\"],\"nextPageToken\":\"p/2\"}"));
        var store = GcsStore.FromUrl("gs://bucket/root", new GcsStoreOptions { ServiceUri = server.Uri, Anonymous = true, ListPageSize = 3 });
        var keys = new List<string>();
        await foreach (var k in store.ListAsync("", Ct)) keys.Add(k);
        Assert.Equal(["c/0", "c/1"], keys);
        Assert.Contains("maxResults=3", server.Requests[0].PathAndQuery);
        var (_, folders) = await store.ListDirAsync("", Ct);
        Assert.Equal(["c"], folders);  // once, though both pages repeat it
    }
}
