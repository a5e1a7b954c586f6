using System.Text;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Azure.Tests;

/// <summary>
/// Against a misbehaving server on 127.0.0.1 speaking for an account: errors carry the status and whether a retry may
/// help, the SDK itself never retries, a read returns the bytes asked for or throws, and a SAS the server echoes back
/// never reaches a message.
/// </summary>
public sealed class AzureFaultTests
{
    private static readonly byte[] Value = TestData.Sequence(100);
    private const string FakeSig = "RECOGNISABLEFAKESIGNATURE0123456789";

    private static CancellationToken Ct => TestData.Ct;

    private static AzureBlobStore Store(FakeHttpServer server, RequestCounter? counter = null, int maxRetries = 0) => AzureBlobStore.FromUrl("az://data/root", new AzureBlobStoreOptions
    {
        AccountName = AzuriteFixture.Account,
        SasToken = $"sv=2024-08-04&sr=c&sp=rl&sig={FakeSig}",
        ServiceUri = new Uri(server.Uri, AzuriteFixture.Account),
        MaxRetries = maxRetries,
        ConfigureClientOptions = counter is null ? null : o => o.AddPolicy(counter, global::Azure.Core.HttpPipelinePosition.PerRetry),
    });

    private static byte[] Error(int status, string code, string message)
        => FakeHttpServer.Response(status, Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message></Error>"),
            null, ("x-ms-error-code", code), ("Content-Type", "application/xml"));

    [Theory]
    [InlineData(500, "InternalError", true)]
    [InlineData(503, "ServerBusy", true)]
    [InlineData(429, "TooManyRequests", true)]
    [InlineData(408, "OperationTimedOut", true)]
    [InlineData(400, "InvalidQueryParameterValue", false)]
    [InlineData(403, "AuthenticationFailed", false)]
    [InlineData(409, "LeaseIdMissing", false)]
    public async Task ErrorAnswersCarryTheStatusAndWhetherToRetryAndTheSdkNeverRetries(int status, string code, bool transient)
    {
        await using var server = new FakeHttpServer(_ => Error(status, code, "what the service said"));
        var counter = new RequestCounter();
        var store = Store(server, counter);
        foreach (var op in new Func<Task>[]
        {
            async () => await store.GetAsync("k", default, Ct),
            async () => await store.GetAsync("k", ByteRange.Suffix(4), Ct),
            async () => await store.SetAsync("k", new byte[] { 1 }, Ct),
            async () => await store.DeleteAsync("k", Ct),
            async () => { await foreach (var _ in store.ListAsync("", Ct)) { } },
        })
        {
            counter.Reset();
            var e = await Assert.ThrowsAsync<StoreException>(op);
            Assert.Equal(status, e.Status);
            Assert.Equal(transient, e.IsTransient);
            Assert.Equal("azure", e.Backend);
            Assert.Contains(code, e.Message);
            Assert.Equal(1, counter.Count);
        }
    }

    [Fact]
    public async Task TheSdksOwnRetriesCanBeTurnedOnByOption()
    {
        await using var server = new FakeHttpServer(_ => Error(503, "ServerBusy", "busy"));
        var counter = new RequestCounter();
        var store = Store(server, counter, maxRetries: 2);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(503, e.Status);
        Assert.Equal(3, counter.Count);
    }

    [Fact]
    public async Task ASasTheServerEchoesBackNeverReachesAMessage()
    {
        await using var server = new FakeHttpServer(r => Error(403, "AuthenticationFailed", "Signature did not match for " + r.PathAndQuery));
        var store = Store(server);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Contains($"sig={FakeSig}", server.Requests[0].PathAndQuery);
        Assert.Equal(403, e.Status);
        Assert.DoesNotContain(FakeSig, e.ToString());
        Assert.DoesNotContain(FakeSig, store.ToString());
    }

    [Fact]
    public async Task APartialAnswerForOtherBytesThanAskedIsAnErrorNotData()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Response(206, Value[..10], null, ("Content-Range", "bytes 0-9/100"), ("ETag", "\"e\"")));
        var store = Store(server);
        using (var ok = await store.GetAsync("k", ByteRange.Bounded(0, 10), Ct)) Assert.Equal(Value[..10], ok!.ToArray());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", ByteRange.Bounded(50, 10), Ct));
        Assert.True(e.IsTransient);
        Assert.Contains("answered bytes 0..10", e.Message);
    }

    [Fact]
    public async Task ABodyShorterThanDeclaredIsATransientErrorNotData()
    {
        await using var server = new FakeHttpServer(_ => FakeHttpServer.Response(200, Value[..50], declaredLength: 100, ("ETag", "\"e\"")));
        var e = await Assert.ThrowsAsync<StoreException>(async () => await Store(server).GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
        Assert.Equal("k", e.Key);
    }

    [Fact]
    public async Task AServerThatNeverAnswersTimesOutAsTransient()
    {
        await using var server = new FakeHttpServer(_ => null);
        var store = AzureBlobStore.FromUrl("az://data/root", new AzureBlobStoreOptions
        {
            AccountName = AzuriteFixture.Account, Anonymous = true, ServiceUri = new Uri(server.Uri, AzuriteFixture.Account), NetworkTimeout = TimeSpan.FromMilliseconds(300),
        });
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(e.IsTransient);
    }
}
