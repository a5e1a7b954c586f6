using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Zarr.Cloud.S3.Tests;

/// <summary>The mapping of S3's answers and the SDK's exceptions, as a pure function (the fake-server tests check it end to end).</summary>
public sealed class S3ErrorsTests
{
    private static AmazonS3Exception S3(HttpStatusCode status, string code) => new($"msg {code}", ErrorType.Sender, code, "req", status);

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", false, true, true)]
    [InlineData(HttpStatusCode.NotFound, "NotFound", false, true, true)]       // a HEAD: no body, no code
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", true, true, false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", true, true, true)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", true, false, false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false, true, false)]  // signed: never
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true, true, false)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true, true, false)]
    public void WhatMeansMissing(HttpStatusCode status, string code, bool anonymous, bool forbiddenAsMissing, bool missing)
        => Assert.Equal(missing, S3Errors.IsMissing(S3(status, code), anonymous, forbiddenAsMissing));

    [Fact]
    public void NetworkFailuresAreNeverMissing()
    {
        Assert.False(S3Errors.IsMissing(new HttpRequestException("reset"), true, true));
        Assert.False(S3Errors.IsMissing(new IOException("cut"), true, true));
    }

    public static TheoryData<Exception, bool> TransientCases => new()
    {
        { new AmazonS3Exception("m", ErrorType.Receiver, "SlowDown", "r", HttpStatusCode.ServiceUnavailable), true },
        { new AmazonS3Exception("m", ErrorType.Receiver, "InternalError", "r", HttpStatusCode.InternalServerError), true },
        { new AmazonS3Exception("m", ErrorType.Sender, "RequestTimeout", "r", HttpStatusCode.BadRequest), true },
        { new AmazonS3Exception("m", ErrorType.Sender, "TooManyRequests", "r", (HttpStatusCode)429), true },
        { new AmazonS3Exception("m", ErrorType.Sender, "AccessDenied", "r", HttpStatusCode.Forbidden), false },
        { new AmazonS3Exception("m", ErrorType.Sender, "InvalidRange", "r", HttpStatusCode.RequestedRangeNotSatisfiable), false },
        { new AmazonS3Exception("m", ErrorType.Sender, "NoSuchBucket", "r", HttpStatusCode.NotFound), false },
        { new HttpRequestException("connection refused", new SocketException(111)), true },
        { new IOException("the response ended prematurely"), true },
        { new TaskCanceledException("timeout"), true },
        { new TimeoutException(), true },
        { new AmazonClientException("Expected hash not equal to calculated hash"), true },
        { new AmazonClientException("wrapped", new IOException("reset")), true },
        { new AmazonClientException("No RegionEndpoint or ServiceURL configured"), false },
        { new ArgumentException("bad"), false },
    };

    [Theory]
    [MemberData(nameof(TransientCases))]
    public void WhatIsTransient(Exception e, bool transient) => Assert.Equal(transient, S3Errors.IsTransient(e, TestContext.Current.CancellationToken));

    [Fact]
    public void ACancellationTheCallerAskedForIsNotATimeout()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(S3Errors.IsTransient(new OperationCanceledException(cts.Token), cts.Token));
        Assert.True(S3Errors.IsTransient(new OperationCanceledException(), CancellationToken.None));
    }

    [Fact]
    public void TheStoreExceptionCarriesKeyStatusAndTransience()
    {
        var e = S3Errors.ToStoreException(S3(HttpStatusCode.ServiceUnavailable, "SlowDown"), "arr/0.0", "GET", false, [], TestContext.Current.CancellationToken);
        Assert.Equal("arr/0.0", e.Key);
        Assert.Equal("s3", e.Backend);
        Assert.Equal(503, e.Status);
        Assert.True(e.IsTransient);
        Assert.Contains("GET answered 503 SlowDown", e.Message);
        Assert.IsType<AmazonS3Exception>(e.InnerException);
        var range = S3Errors.ToStoreException(S3(HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange"), "k", "GET", false, [], TestContext.Current.CancellationToken);
        Assert.Equal(416, range.Status);
        Assert.False(range.IsTransient);
        var network = S3Errors.ToStoreException(new HttpRequestException("Connection refused (127.0.0.1:1)"), "k", "LIST", false, [], TestContext.Current.CancellationToken);
        Assert.Null(network.Status);
        Assert.True(network.IsTransient);
        Assert.Contains("Connection refused", network.Message);
    }

    [Fact]
    public void SecretsAreRedacted()
    {
        const string text = "GET https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE failed; "
            + "Authorization: AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12/x, SignedHeaders=host, Signature=fedcba9876543210fedcba9876543210; secret s3cr3t-v4lue";
        var r = S3Errors.Redact(text, ["s3cr3t-v4lue", null, ""]);
        foreach (var secret in new[] { "AKIAIOSFODNN7EXAMPLE", "0123456789abcdef0123456789abcdef", "IQoJb3JpZ2luX2VjEXAMPLE", "ASIAEXAMPLEEXAMPLE12", "fedcba9876543210fedcba9876543210", "s3cr3t-v4lue" })
            Assert.DoesNotContain(secret, r);
        Assert.Contains("X-Amz-Signature=***", r);
        Assert.Contains("https://b.s3.amazonaws.com/k", r);
    }

    [Fact]
    public void AnInnerExceptionThatShowsASecretIsLeftOut()
    {
        var e = S3Errors.ToStoreException(new AmazonS3Exception("token tok-1234567 was rejected", ErrorType.Sender, "InvalidToken", "r", HttpStatusCode.BadRequest), "k", "GET", false, ["tok-1234567"], TestContext.Current.CancellationToken);
        Assert.DoesNotContain("tok-1234567", e.ToString());
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void ContentRangeGivesTheTotalLength()
    {
        Assert.Equal(100, S3Store.TotalLength("bytes 0-9/100"));
        Assert.Null(S3Store.TotalLength("bytes 0-9/*"));
        Assert.Null(S3Store.TotalLength(null));
        Assert.Null(S3Store.TotalLength(""));
    }
}
