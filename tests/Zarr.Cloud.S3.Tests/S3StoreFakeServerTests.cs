using System.Net;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.S3.Tests;

/// <summary>
/// What only a real Amazon S3 does, or what no emulator here can be made to do, against a fake S3 inside the test
/// process (the SDK's HTTP client factory answers; no socket is opened): 403 for absent keys of a public bucket, region
/// redirects and discovery, throttling, short bodies, timeouts, and what a message may show.
/// </summary>
public sealed class S3StoreFakeServerTests
{
    private static CancellationToken Ct => TestData.Ct;

    // Shaped like AWS's documented example keys; never real.
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENdGhpcyBpcyBub3QgYSByZWFsIHRva2Vu";

    private static string UniqueBucket(string stem) => $"{stem}-{Guid.NewGuid():N}";

    private static Task<HttpResponseMessage?> Answer(HttpResponseMessage r) => Task.FromResult<HttpResponseMessage?>(r);

    private static S3StoreOptions Anonymous(InterceptingHandler h, Action<S3StoreOptions>? configure = null)
    {
        var o = new S3StoreOptions { Anonymous = true, Region = "us-west-2" };
        configure?.Invoke(o);
        return o.Through(h);
    }

    private static S3StoreOptions Signed(InterceptingHandler h, Action<S3StoreOptions>? configure = null)
    {
        var o = new S3StoreOptions { AccessKeyId = AccessKeyId, SecretAccessKey = SecretKey, SessionToken = SessionToken, Region = "us-west-2" };
        configure?.Invoke(o);
        return o.Through(h);
    }

    private static InterceptingHandler Forbidding() => new()
    {
        Respond = (_, _) => Answer(S3Responses.Error(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied")),
    };

    // ------------------------------------------------------------------ 403 for a missing key

    [Fact]
    public async Task AnAnonymous403IsAMissingKeyByDefault()
    {
        var h = Forbidding();
        using var store = new S3Store("public-data", "zarr", Anonymous(h));
        Assert.Null(await store.GetAsync("arr/0.0", default, Ct));
        Assert.Null(await store.GetAsync("arr/0.1", ByteRange.Suffix(16), Ct));
        Assert.False(await store.ExistsAsync("arr/0.2", Ct));
        Assert.All(h.Requests, r => Assert.False(r.IsSigned));
        Assert.Contains(h.Requests, r => r.Uri.AbsolutePath.EndsWith("/zarr/arr/0.0", StringComparison.Ordinal) || r.Uri.AbsolutePath == "/zarr/arr/0.0");
    }

    [Fact]
    public async Task AnAnonymous403IsAnErrorWhenTheOptionIsOff()
    {
        using var store = new S3Store("public-data", "", Anonymous(Forbidding(), o => o.TreatForbiddenAsMissing = false));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(403, e.Status);
        Assert.False(e.IsTransient);
        Assert.Equal("s3", e.Backend);
        Assert.Contains("anonymous", e.Message);
    }

    [Fact]
    public async Task ASigned403IsAlwaysAnError()
    {
        var h = Forbidding();
        using var store = new S3Store("private-data", "", Signed(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(403, e.Status);
        Assert.False(e.IsTransient);
        Assert.Contains("credentials", e.Message);
        Assert.All(h.Requests, r => Assert.True(r.IsSigned));
        Assert.All(h.Requests, r => Assert.Equal(SessionToken, r.Header("x-amz-security-token")));
    }

    [Fact]
    public async Task AnAnonymous403OnAListingIsAnError()
    {
        // Listing is not a key read: a bucket that may not be listed must not look empty.
        using var store = new S3Store("public-data", "", Anonymous(Forbidding()));
        var e = await Assert.ThrowsAsync<StoreException>(async () => { await foreach (var _ in store.ListAsync("", Ct)) { } });
        Assert.Equal(403, e.Status);
        await Assert.ThrowsAsync<StoreException>(async () => await store.ListDirAsync("", Ct));
    }

    // ------------------------------------------------------------------ status mapping

    [Theory]
    [InlineData(503, "SlowDown", true)]
    [InlineData(500, "InternalError", true)]
    [InlineData(502, "BadGateway", true)]
    [InlineData(429, "TooManyRequests", true)]
    [InlineData(400, "RequestTimeout", true)]
    [InlineData(400, "InvalidArgument", false)]
    [InlineData(409, "OperationAborted", false)]
    public async Task FailuresAreTransientOrNotAsS3Means(int status, string code, bool transient)
    {
        var h = new InterceptingHandler { Respond = (_, _) => Answer(S3Responses.Error((HttpStatusCode)status, code, "nope")) };
        using var store = new S3Store("b-status", "", Signed(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(status, e.Status);
        Assert.Equal(transient, e.IsTransient);
        Assert.Contains(code, e.Message);
        // The SDK does not retry: one request, retrying is the middleware's job.
        Assert.Single(h.Requests);
    }

    [Fact]
    public async Task InvalidRangeIs416()
    {
        var h = new InterceptingHandler { Respond = (_, _) => Answer(S3Responses.Error(HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")) };
        using var store = new S3Store("b-416", "", Signed(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.Bounded(500, 10), Ct));
        Assert.Equal(416, e.Status);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task NoSuchBucketIsAnErrorNotAMissingKey()
    {
        var h = new InterceptingHandler { Respond = (_, _) => Answer(S3Responses.Error(HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist")) };
        using var store = new S3Store("b-gone", "", Anonymous(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(404, e.Status);
        Assert.Contains("bucket does not exist", e.Message);
    }

    [Theory]
    [InlineData(50, 100)]   // the connection broke off
    [InlineData(150, 100)]  // more than was declared: as wrong as less
    public async Task ABodyOfTheWrongLengthIsTransient(int sent, int declared)
    {
        var h = new InterceptingHandler
        {
            Respond = (_, _) =>
            {
                var r = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(new byte[sent])) };
                r.Content.Headers.ContentLength = declared;
                return Answer(r);
            },
        };
        using var store = new S3Store("b-length", "", Anonymous(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Equal("k", e.Key);
    }

    [Fact]
    public async Task ATimeoutIsTransientAndTheCallersCancellationIsACancellation()
    {
        var h = new InterceptingHandler
        {
            Respond = async (_, ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return null;
            },
        };
        using var store = new S3Store("b-slow", "", Anonymous(h, o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);

        using var patient = new S3Store("b-slow2", "", Anonymous(new InterceptingHandler { Respond = h.Respond }));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await patient.GetAsync("k", default, cts.Token));
    }

    // ------------------------------------------------------------------ requests as sent

    [Fact]
    public async Task RangesAreSentAsTheyAreAndETagAndTotalLengthAreKept()
    {
        var value = TestData.Sequence(100);
        var h = new InterceptingHandler { Respond = (r, _) => Answer(S3Responses.Object(r, value)) };
        using var store = new S3Store("b-ranges", "root", Anonymous(h));
        using (var v = await store.GetAsync("k", ByteRange.Suffix(8), Ct))
        {
            Assert.Equal(value[92..], v!.ToArray());
            Assert.Equal(100, v.TotalLength);
            Assert.Equal("\"0123456789abcdef0123456789abcdef-1\"", v.ETag);
        }
        using (var v = await store.GetAsync("k", ByteRange.Bounded(10, 5), Ct)) Assert.Equal(value[10..15], v!.ToArray());
        using (var v = await store.GetAsync("k", ByteRange.FromOffset(90), Ct)) Assert.Equal(value[90..], v!.ToArray());
        using (var v = await store.GetAsync("k", default, Ct)) Assert.Equal(100, v!.TotalLength);
        var ranges = h.Requests.Select(r => r.Header("Range")).ToList();
        Assert.Equal(["bytes=-8", "bytes=10-14", "bytes=90-", null], ranges);
        Assert.All(h.Requests, r => Assert.EndsWith("/root/k", r.Uri.AbsolutePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARangeTheServerIgnoredIsCutOutHere()
    {
        var value = TestData.Sequence(100);
        var h = new InterceptingHandler
        {
            Respond = (_, _) =>
            {
                var r = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(value) };
                return Answer(r);
            },
        };
        using var store = new S3Store("b-norange", "", Anonymous(h));
        using var v = await store.GetAsync("k", ByteRange.Bounded(20, 10), Ct);
        Assert.Equal(value[20..30], v!.ToArray());
        Assert.Equal(100, v.TotalLength);
    }

    [Fact]
    public async Task RequesterPaysIsSentOnEveryRequestWhenAsked()
    {
        var value = TestData.Sequence(10);
        var h = new InterceptingHandler
        {
            Respond = (r, _) => Answer(r.RequestUri!.Query.Contains("list-type", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>") }
                : S3Responses.Object(r, value)),
        };
        using (var store = new S3Store("b-rp", "", Signed(h, o => o.RequesterPays = true)))
        {
            using (await store.GetAsync("k", default, Ct)) { }
            await foreach (var _ in store.ListAsync("", Ct)) { }
            await store.SetAsync("k", new byte[] { 1 }, Ct);
        }
        Assert.Equal(3, h.Requests.Count);
        Assert.All(h.Requests, r => Assert.Equal("requester", r.Header("x-amz-request-payer")));
        var h2 = new InterceptingHandler { Respond = h.Respond };
        using (var store = new S3Store("b-rp2", "", Signed(h2)))
        using (await store.GetAsync("k", default, Ct)) { }
        Assert.Null(h2.Requests.Single().Header("x-amz-request-payer"));
    }

    [Fact]
    public async Task AmazonS3GetsPlainBodiesToo()
    {
        var h = new InterceptingHandler { Respond = (_, _) => Answer(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) }) };
        using var store = new S3Store("b-put", "", Signed(h));
        await store.SetAsync("k", TestData.RandomBytes(300), Ct);
        var put = h.Requests.Single();
        Assert.Equal("PUT", put.Method);
        Assert.Equal("300", put.Header("Content-Length"));
        Assert.DoesNotContain("aws-chunked", put.Header("Content-Encoding") ?? "");
        Assert.DoesNotContain("STREAMING", put.Header("x-amz-content-sha256") ?? "");
    }

    // ------------------------------------------------------------------ regions

    [Fact]
    public async Task TheRegionOfABucketIsAskedOfS3WhenNothingNamesIt()
    {
        var bucket = UniqueBucket("disc");
        var value = TestData.Sequence(10);
        var h = new InterceptingHandler
        {
            Respond = (r, _) =>
            {
                // The discovery probe: an anonymous HEAD of the bucket on the global endpoint; 403 (private) still names the region.
                if (r.Method == HttpMethod.Head && r.RequestUri!.Host == "s3.amazonaws.com")
                    return Answer(S3Responses.Error(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied", headers: new Dictionary<string, string> { ["x-amz-bucket-region"] = "ap-southeast-2" }));
                return Answer(r.RequestUri!.Host.Contains("ap-southeast-2", StringComparison.Ordinal) ? S3Responses.Object(r, value)
                    : S3Responses.Error(HttpStatusCode.MovedPermanently, "PermanentRedirect", "wrong region"));
            },
        };
        using var store = new S3Store(bucket, "", new S3StoreOptions { Anonymous = true }.Through(h));
        Assert.Equal("ap-southeast-2", await store.GetRegionAsync(Ct));
        using var v = await store.GetAsync("k", default, Ct);
        Assert.Equal(value, v!.ToArray());
        var probe = h.Requests.First();
        Assert.Equal("HEAD", probe.Method);
        Assert.Equal($"https://s3.amazonaws.com/{bucket}", probe.Uri.ToString());
        Assert.False(probe.IsSigned);
        Assert.Contains("ap-southeast-2", h.Requests.Last().Uri.Host);
    }

    [Fact]
    public async Task WithoutAnAnswerTheRegionFallsBackToUsEast1()
    {
        var h = new InterceptingHandler { Respond = (r, _) => Answer(new HttpResponseMessage(HttpStatusCode.NotFound)) };
        using var store = new S3Store(UniqueBucket("noanswer"), "", new S3StoreOptions { Anonymous = true }.Through(h));
        Assert.Equal("us-east-1", await store.GetRegionAsync(Ct));
    }

    [Fact]
    public async Task ARedirectToTheBucketsRegionIsFollowedOnce()
    {
        var bucket = UniqueBucket("redir");
        var value = TestData.Sequence(20);
        var h = new InterceptingHandler
        {
            Respond = (r, _) =>
            {
                if (r.Method == HttpMethod.Head && r.RequestUri!.Host == "s3.amazonaws.com")
                    return Answer(S3Responses.Error(HttpStatusCode.MovedPermanently, "PermanentRedirect", "elsewhere", headers: new Dictionary<string, string> { ["x-amz-bucket-region"] = "eu-west-1" }));
                return Answer(r.RequestUri!.Host.Contains("eu-west-1", StringComparison.Ordinal) ? S3Responses.Object(r, value)
                    : S3Responses.Error(HttpStatusCode.MovedPermanently, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.",
                        headers: new Dictionary<string, string> { ["x-amz-bucket-region"] = "eu-west-1" }));
            },
        };
        // A region configured (as AWS_REGION would) but wrong for this bucket.
        using var store = new S3Store(bucket, "", Signed(h, o => o.Region = "us-east-2"));
        using (var v = await store.GetAsync("k", default, Ct)) Assert.Equal(value, v!.ToArray());
        Assert.Equal("eu-west-1", await store.GetRegionAsync(Ct));
        // Later requests go straight to the right region.
        var before = h.Requests.Count;
        using (var v = await store.GetAsync("k", ByteRange.Bounded(0, 4), Ct)) Assert.Equal(value[..4], v!.ToArray());
        Assert.Equal(before + 1, h.Requests.Count);
        Assert.Contains("us-east-2", h.Requests.First().Uri.Host);
    }

    [Fact]
    public async Task ARedirectWithNoRegionToGoToIsAnError()
    {
        var h = new InterceptingHandler { Respond = (_, _) => Answer(S3Responses.Error(HttpStatusCode.MovedPermanently, "PermanentRedirect", "elsewhere")) };
        using var store = new S3Store(UniqueBucket("lost"), "", Anonymous(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(301, e.Status);
        Assert.False(e.IsTransient);
        Assert.Contains("region", e.Message);
    }

    // ------------------------------------------------------------------ secrets

    [Fact]
    public async Task NoSecretShowsInAnErrorOrInToString()
    {
        string? signature = null;
        var h = new InterceptingHandler
        {
            Respond = (r, _) =>
            {
                var auth = r.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : "";
                signature = auth[(auth.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length)..];
                // S3 echoes the access key id and the string to sign; a hostile or buggy server might echo anything.
                return Answer(S3Responses.Error(HttpStatusCode.Forbidden, "SignatureDoesNotMatch",
                    $"The request signature we calculated does not match the signature you provided ({signature}); token {SessionToken}; key {SecretKey}; id {AccessKeyId}",
                    $"<AWSAccessKeyId>{AccessKeyId}</AWSAccessKeyId><SignatureProvided>{signature}</SignatureProvided>"));
            },
        };
        using var store = new S3Store("b-secret", "p", Signed(h));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.NotNull(signature);
        foreach (var text in new[] { e.Message, e.ToString(), store.ToString() })
        {
            Assert.DoesNotContain(SecretKey, text);
            Assert.DoesNotContain(SessionToken, text);
            Assert.DoesNotContain(AccessKeyId, text);
            Assert.DoesNotContain(signature!, text);
        }
        Assert.Equal(403, e.Status);
    }
}
