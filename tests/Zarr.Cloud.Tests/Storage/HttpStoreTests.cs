using System.Net.Http.Headers;
using System.Text;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;
using static Zarr.Cloud.Tests.Emulators.ScriptedHttpServer;

namespace Zarr.Cloud.Tests.Storage;

/// <summary>HttpStore against nginx's error statuses and read-only locations: what is missing, what is transient, what is refused.</summary>
public sealed class HttpStoreStatusTests(NginxFixture nginx) : IClassFixture<NginxFixture>
{
    private static CancellationToken Ct => TestData.Ct;
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private HttpStore StoreAt(string location, bool writable = false)
        => new(Client, nginx.Require().Url(location), new HttpStoreOptions { AllowWrites = writable });

    [Fact]
    public async Task A404IsMissing()
    {
        var store = StoreAt($"{Guid.NewGuid():N}/");
        Assert.Null(await store.GetAsync("nothing/here", default, Ct));
        Assert.False(await store.ExistsAsync("nothing", Ct));
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(403, false)]
    public async Task AnErrorStatusIsAStoreExceptionWithTheStatusAndWhetherItIsTransient(int status, bool transient)
    {
        var store = StoreAt($"status/{status}/");
        foreach (var range in new[] { ByteRange.All, ByteRange.Suffix(4), ByteRange.Bounded(0, 0) })
        {
            var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("arr/c/0", range, Ct));
            Assert.Equal(status, e.Status);
            Assert.Equal(transient, e.IsTransient);
            Assert.Equal("arr/c/0", e.Key);
            Assert.Equal("http", e.Backend);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        }
    }

    [Fact]
    public async Task WritesToAServerWithoutPutFailWith405()
    {
        var store = StoreAt("readonly/x/", writable: true);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.SetAsync("k", new byte[] { 1 }, Ct));
        Assert.Equal(405, e.Status);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task AStoreWithoutAllowWritesRefusesWithoutARequestAndSaysHowToAllow()
    {
        var folder = Guid.NewGuid().ToString("N");
        var store = StoreAt($"{folder}/");
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.Write));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.SetAsync("k", new byte[] { 1 }, Ct));
        Assert.Contains("AllowWrites", e.Message);
        await Assert.ThrowsAsync<StoreException>(async () => await store.DeleteAsync("k", Ct));
        Assert.False(Directory.Exists(Path.Combine(nginx.Root, folder)));
    }

    [Fact]
    public async Task ReadsGoThroughTheBaseQueryStringButMessagesAndToStringRedactIt()
    {
        const string secret = "SuperSecretSig0123456789";
        var recorder = new RecordingHandler();
        var client = new HttpClient(recorder);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "BearerSecret987");
        var folder = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(nginx.Require().Root, folder));
        await File.WriteAllBytesAsync(Path.Combine(nginx.Root, folder, "k"), [1, 2, 3], Ct);
        var store = new HttpStore(client, nginx.Url($"{folder}?se=2030-01-01&sig={secret}&X-Amz-Signature={secret}"));
        using (var v = await store.GetAsync("k", ByteRange.Suffix(2), Ct)) Assert.Equal(new byte[] { 2, 3 }, v!.ToArray());
        Assert.Contains(recorder.Exchanges, x => x.Uri.Query.Contains(secret) && x.Uri.AbsolutePath == $"/{folder}/k");

        Assert.DoesNotContain(secret, store.ToString());
        Assert.Contains("sig=REDACTED", store.ToString());
        Assert.Contains("se=2030-01-01", store.ToString());

        var failing = new HttpStore(client, nginx.Url($"status/500/?sig={secret}&token={secret}"));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await failing.GetAsync("k", default, Ct));
        Assert.DoesNotContain(secret, e.ToString());
        Assert.DoesNotContain("BearerSecret987", e.ToString());
        Assert.Contains("sig=REDACTED", e.Message);
        Assert.Equal("Bearer BearerSecret987", recorder.Exchanges[^1].Authorization);

        var list = Assert.Throws<NotSupportedException>(() => failing.ListAsync("", Ct));
        Assert.DoesNotContain(secret, list.Message);
        var ro = await Assert.ThrowsAsync<StoreException>(async () => await failing.SetAsync("k", new byte[] { 1 }, Ct));
        Assert.DoesNotContain(secret, ro.Message);
    }

    [Fact]
    public async Task ListingTheChildrenOfAGroupWithoutConsolidatedMetadataSaysWhatToDo()
    {
        var folder = Guid.NewGuid().ToString("N");
        var writable = StoreAt($"{folder}/", writable: true);
        var root = await ZarrGroup.CreateAsync(writable, "", 3, cancellationToken: Ct);
        await root.CreateGroupAsync("child", cancellationToken: Ct);
        var opened = await ZarrGroup.OpenAsync(StoreAt($"{folder}/"), "", cancellationToken: Ct);
        Assert.False(opened.IsConsolidated);
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => opened.ListChildrenAsync(Ct));
        Assert.Contains("consolidated metadata", e.Message);
        await Assert.ThrowsAsync<NotSupportedException>(() => opened.ConsolidateMetadataAsync(Ct));
        // Children are still reachable by name.
        Assert.Equal("child", (await opened.OpenGroupAsync("child", Ct)).Name);
    }
}

/// <summary>HttpStore against a scripted server: what no real server does on purpose.</summary>
public sealed class HttpStoreFaultTests
{
    private static CancellationToken Ct => TestData.Ct;

    private static readonly byte[] Hundred = TestData.Sequence(100);

    private static HttpStore StoreFor(ScriptedHttpServer server, TimeSpan? timeout = null)
        => new(new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) }, server.BaseUri);

    private static byte[] Ok(byte[] body, params string[] headers) => Response("200 OK", [$"Content-Length: {body.Length}", .. headers], body);

    [Fact]
    public async Task ABodyShorterThanItsContentLengthIsTransientNeverData()
    {
        await using var server = new ScriptedHttpServer(_ => Response("200 OK", ["Content-Length: 100"], Hundred[..10]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Equal("k", e.Key);
    }

    [Fact]
    public async Task APartialBodyShorterThanItsContentRangeIsTransient()
    {
        await using var server = new ScriptedHttpServer(_ => Response("206 Partial Content", ["Content-Length: 20", "Content-Range: bytes 10-29/100"], Hundred[10..15]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", ByteRange.Bounded(10, 20), Ct));
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task AChunkedBodyCutShortIsTransient()
    {
        await using var server = new ScriptedHttpServer(_ =>
            Response("200 OK", ["Transfer-Encoding: chunked"], Encoding.ASCII.GetBytes("a\r\n0123456789\r\n5\r\n01")));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData("bytes 0-19/100")]     // the wrong place
    [InlineData("bytes 10-19/100")]    // shorter than asked, though the value is long enough
    [InlineData("bytes 10-39/100")]    // longer than asked
    [InlineData("bytes 10-29/25")]     // past the end it announces
    public async Task A206WithAContentRangeOtherThanTheOneAskedForIsAnError(string contentRange)
    {
        var parts = contentRange.Split(' ', '-', '/');
        int from = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), to = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[to - from + 1];
        await using var server = new ScriptedHttpServer(_ => Response("206 Partial Content", [$"Content-Length: {body.Length}", $"Content-Range: {contentRange}"], body));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", ByteRange.Bounded(10, 20), Ct));
        Assert.Contains("bytes=10-29", e.Message);
        Assert.Contains(contentRange, e.Message);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task A206WithoutContentRangeOrWithSeveralPartsIsAnError()
    {
        await using var bare = new ScriptedHttpServer(_ => Response("206 Partial Content", ["Content-Length: 3"], [1, 2, 3]));
        await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(bare).GetAsync("k", ByteRange.Suffix(3), Ct));
        await using var multi = new ScriptedHttpServer(_ => Response("206 Partial Content", ["Content-Length: 3", "Content-Type: multipart/byteranges; boundary=x"], [1, 2, 3]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(multi).GetAsync("k", ByteRange.Suffix(3), Ct));
        Assert.Contains("multipart/byteranges", e.Message);
    }

    [Fact]
    public async Task A200ToARangeRequestIsCutLocally()
    {
        await using var server = new ScriptedHttpServer(_ => Ok(Hundred, "ETag: \"v1\""));
        var store = StoreFor(server);
        using (var v = await store.GetAsync("k", ByteRange.Suffix(5), Ct))
        {
            Assert.Equal(Hundred[95..], v!.ToArray());
            Assert.Equal(100, v.TotalLength);
            Assert.Equal("\"v1\"", v.ETag);
        }
        using (var v = await store.GetAsync("k", ByteRange.Bounded(90, 50), Ct)) Assert.Equal(Hundred[90..], v!.ToArray());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.FromOffset(100), Ct));
        Assert.Equal(416, e.Status);
        Assert.Equal(["bytes=-5", "bytes=90-139", "bytes=100-"], server.Requests.Select(r => r.Range));
    }

    [Fact]
    public async Task AChunked200WithoutContentLengthIsReadToTheEnd()
    {
        await using var server = new ScriptedHttpServer(_ =>
            Response("200 OK", ["Transfer-Encoding: chunked"], Encoding.ASCII.GetBytes("a\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n")));
        using var v = await StoreFor(server).GetAsync("k", ByteRange.Bounded(8, 4), Ct);
        Assert.Equal("89ab", Encoding.ASCII.GetString(v!.Span));
    }

    [Fact]
    public async Task A416WithoutSizeForASuffixFallsBackToTheWholeValue()
    {
        // Some servers answer 416 to a suffix of an empty value without saying its size: the suffix of nothing is nothing.
        await using var server = new ScriptedHttpServer(r => r.Range is null ? Ok([]) : Response("416 Range Not Satisfiable", ["Content-Length: 0"]));
        using var v = await StoreFor(server).GetAsync("k", ByteRange.Suffix(10), Ct);
        Assert.Equal(0, v!.Length);
        Assert.Equal(["bytes=-10", null], server.Requests.Select(r => r.Range));
    }

    [Fact]
    public async Task A416WithTheSizeIsAStoreExceptionWith416()
    {
        await using var server = new ScriptedHttpServer(_ => Response("416 Range Not Satisfiable", ["Content-Length: 0", "Content-Range: bytes */100"]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", ByteRange.Bounded(200, 1), Ct));
        Assert.Equal(416, e.Status);
        Assert.Contains("100 bytes", e.Message);
    }

    [Theory]
    [InlineData("408 Request Timeout", 408, true)]
    [InlineData("429 Too Many Requests", 429, true)]
    [InlineData("502 Bad Gateway", 502, true)]
    [InlineData("401 Unauthorized", 401, false)]
    [InlineData("400 Bad Request", 400, false)]
    public async Task StatusesMapToTransientOrNot(string statusLine, int status, bool transient)
    {
        await using var server = new ScriptedHttpServer(_ => Response(statusLine, ["Content-Length: 0"]));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", default, Ct));
        Assert.Equal((status, transient), (e.Status, e.IsTransient));
    }

    [Fact]
    public async Task A410IsMissing()
    {
        await using var server = new ScriptedHttpServer(_ => Response("410 Gone", ["Content-Length: 0"]));
        Assert.Null(await StoreFor(server).GetAsync("k", ByteRange.Suffix(3), Ct));
    }

    [Fact]
    public async Task AServerThatNeverAnswersTimesOutAsATransientError()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server, TimeSpan.FromMilliseconds(300)).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Contains("timed out", e.Message);
    }

    [Fact]
    public async Task ABodyThatStallsTimesOutToo()
    {
        // Headers arrive, the body never does: HttpClient.Timeout still bounds the read.
        await using var server = new ScriptedHttpServer(_ => Response("200 OK", ["Content-Length: 100"], Hundred[..10]), holdOpen: true);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server, TimeSpan.FromMilliseconds(500)).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Contains("timed out", e.Message);
    }

    [Fact]
    public async Task CancellationByTheCallerIsNotAStoreError()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await StoreFor(server).GetAsync("k", default, cts.Token));
    }

    [Fact]
    public async Task ARefusedConnectionIsTransientWithoutStatus()
    {
        var store = new HttpStore(new HttpClient(), new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}/x/?token=abcSECRET"));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Null(e.Status);
        Assert.DoesNotContain("abcSECRET", e.Message);
    }

    [Fact]
    public async Task AnEncodedBodyIsRefused()
    {
        await using var server = new ScriptedHttpServer(_ => Ok([1, 2, 3], "Content-Encoding: gzip"));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await StoreFor(server).GetAsync("k", default, Ct));
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public async Task RequestsAskForIdentityEncodingAndEscapeKeySegments()
    {
        await using var server = new ScriptedHttpServer(_ => Ok([7]));
        using var v = await StoreFor(server).GetAsync("a b/ü+#/c", default, Ct);
        var r = Assert.Single(server.Requests);
        Assert.Equal("/a%20b/%C3%BC%2B%23/c", r.Target);
        Assert.Equal("identity", r.Headers["accept-encoding"]);
    }

    [Fact]
    public async Task AnEmptyRangeIsAHeadRequestThatChecksTheSize()
    {
        await using var server = new ScriptedHttpServer(r => r.Method == "HEAD" ? Response("200 OK", ["Content-Length: 100", "ETag: \"e\""]) : Ok(Hundred));
        var store = StoreFor(server);
        using (var v = await store.GetAsync("k", ByteRange.Bounded(100, 0), Ct))
        {
            Assert.Equal(0, v!.Length);
            Assert.Equal(100, v.TotalLength);
            Assert.Equal("\"e\"", v.ETag);
        }
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.Bounded(101, 0), Ct));
        Assert.Equal(416, e.Status);
        using (var v = await store.GetAsync("k", ByteRange.Suffix(0), Ct)) Assert.Equal(0, v!.Length);
        Assert.All(server.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task AServerWithoutHeadIsAskedWithGet()
    {
        await using var server = new ScriptedHttpServer(r => r.Method == "HEAD" ? Response("405 Method Not Allowed", ["Content-Length: 0"]) : Ok(Hundred));
        Assert.True(await StoreFor(server).ExistsAsync("k", Ct));
        Assert.Equal(["HEAD", "GET"], server.Requests.Select(r => r.Method));
    }
}
