using Google.Apis.Auth.OAuth2;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Gcs.Tests;

/// <summary>Every URL form, the endpoint and the credential the options and the environment choose (no emulator needed, nothing sent).</summary>
public sealed class GcsUrlTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("gs://bucket/path/to/array.zarr", "bucket", "path/to/array.zarr")]
    [InlineData("gs://bucket", "bucket", "")]
    [InlineData("gs://bucket/", "bucket", "")]
    [InlineData("gcs://bucket/a", "bucket", "a")]
    [InlineData("gs://my.dotted-bucket_1/a/b", "my.dotted-bucket_1", "a/b")]
    [InlineData("https://storage.googleapis.com/bucket/sst.zarr", "bucket", "sst.zarr")]
    [InlineData("https://storage.googleapis.com/bucket", "bucket", "")]
    [InlineData("https://bucket.storage.googleapis.com/sst.zarr/x", "bucket", "sst.zarr/x")]
    [InlineData("https://storage.cloud.google.com/bucket/sst.zarr", "bucket", "sst.zarr")]
    [InlineData("gs://bucket/donn%C3%A9es/%C3%B1", "bucket", "données/ñ")]
    public void ParsesEveryUrlForm(string url, string bucket, string path)
    {
        var a = GcsAddress.Parse(new Uri(url));
        Assert.Equal(bucket, a.Bucket);
        Assert.Equal(path, a.Path);
    }

    [Theory]
    [InlineData("https://storage.googleapis.com/")]
    [InlineData("https://example.com/bucket/x")]
    [InlineData("gs://bucket/a%2F..%2F..%2Fb")]
    [InlineData("s3://bucket/key")]
    public void RejectsUrlsThatNameNoBucketOrEscape(string url) => Assert.ThrowsAny<ArgumentException>(() => GcsAddress.Parse(new Uri(url)));

    [Fact]
    public void TheEndpointComesFromTheOptionsThenTheEmulatorVariableThenCloudStorage()
    {
        Assert.Equal("https://storage.googleapis.com/", GcsStore.ServiceOf(new GcsStoreOptions(), Env()).ToString());
        Assert.Equal("http://127.0.0.1:9199/", GcsStore.ServiceOf(new GcsStoreOptions(), Env(("STORAGE_EMULATOR_HOST", "127.0.0.1:9199"))).ToString());
        Assert.Equal("http://localhost:4443/", GcsStore.ServiceOf(new GcsStoreOptions(), Env(("STORAGE_EMULATOR_HOST", "http://localhost:4443"))).ToString());
        Assert.Equal("http://127.0.0.2:1/", GcsStore.ServiceOf(new GcsStoreOptions { Endpoint = "http://127.0.0.2:1" }, Env(("STORAGE_EMULATOR_HOST", "127.0.0.1:9199"))).ToString());
        Assert.Equal("https://storage.example:8443/", GcsStore.ServiceOf(new GcsStoreOptions { Endpoint = "storage.example:8443" }, Env()).ToString());
        Assert.Equal("http://127.0.0.3:2/", GcsStore.ServiceOf(new GcsStoreOptions { Endpoint = "http://127.0.0.2:1", ServiceUri = new Uri("http://127.0.0.3:2") }, Env()).ToString());
    }

    private static GcsAuthorization.CredentialKind Kind(GcsStoreOptions o, params (string, string)[] env)
        => GcsStore.FromUrl(new Uri("gs://bucket/x"), o, Env(env)).CredentialKind;

    [Fact]
    public void CredentialsAreChosenInTheDocumentedOrder()
    {
        var credential = GoogleCredential.FromAccessToken("unused");
        Assert.Equal(GcsAuthorization.CredentialKind.Anonymous, Kind(new() { Anonymous = true, AccessToken = "t", Credential = credential }));
        Assert.Equal(GcsAuthorization.CredentialKind.AccessToken, Kind(new() { AccessToken = "t", Credential = credential, CredentialsFile = "/nowhere.json" }));
        Assert.Equal(GcsAuthorization.CredentialKind.Credential, Kind(new() { Credential = credential, CredentialsFile = "/nowhere.json" }));
        Assert.Equal(GcsAuthorization.CredentialKind.CredentialsFile, Kind(new() { CredentialsFile = "/nowhere.json" }, ("STORAGE_EMULATOR_HOST", "127.0.0.1:1")));
        Assert.Equal(GcsAuthorization.CredentialKind.Anonymous, Kind(new(), ("STORAGE_EMULATOR_HOST", "127.0.0.1:1")));
        Assert.Equal(GcsAuthorization.CredentialKind.ApplicationDefault, Kind(new()));
    }

    [Fact]
    public void CommonStoreOptionsCarryOver()
    {
        var store = GcsStore.FromUrl(new Uri("gs://bucket/x/y"), new StoreOpenOptions { ReadOnly = true, Anonymous = true, Endpoint = "http://127.0.0.1:1" }, Env());
        Assert.True(store.ReadOnly);
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.True(store.Capabilities.HasFlag(StoreCapabilities.SuffixRanges));
        Assert.Equal(GcsAuthorization.CredentialKind.Anonymous, store.CredentialKind);
        Assert.Equal(("bucket", "x/y"), (store.Bucket, store.Prefix));
        Assert.Equal("GcsStore(gs://bucket/x/y at http://127.0.0.1:1)", store.ToString());
        Assert.Equal("GcsStore(gs://bucket)", GcsStore.FromUrl(new Uri("gs://bucket"), new GcsStoreOptions { AccessToken = "SECRET-TOKEN" }, Env()).ToString());
    }

    [Theory]
    [InlineData("gs://bucket/x")]
    [InlineData("gcs://bucket/x")]
    [InlineData("https://storage.googleapis.com/bucket/x")]
    [InlineData("https://bucket.storage.googleapis.com/x")]
    [InlineData("https://storage.cloud.google.com/bucket/x")]
    public void TheResolverSendsEveryFormToThisPackage(string url)
    {
        var loc = StoreResolver.Resolve(url, new GcsStoreOptions { Anonymous = true });
        var store = Assert.IsType<GcsStore>(loc.Store.GetBackend());
        Assert.Equal("", loc.Path);
        Assert.Equal(("bucket", "x"), (store.Bucket, store.Prefix));
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":403,\"message\":\"a@b.iam does not have storage.objects.get access\"}}", "a@b.iam does not have storage.objects.get access")]
    [InlineData("No such object: b/k", "No such object: b/k")]
    [InlineData("{\"not\":\"an error\"}", "{\"not\":\"an error\"}")]
    [InlineData("", "")]
    public void ErrorMessagesAreTakenFromTheBody(string body, string expected) => Assert.Equal(expected, GcsStore.ErrorMessageOf(body));
}
