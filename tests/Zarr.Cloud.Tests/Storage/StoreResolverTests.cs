using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Storage;

public sealed class StoreResolverTests
{
    [Theory]
    [InlineData("https://example.com/data.zarr", "https://example.com/data.zarr/")]
    [InlineData("https://example.com/data.zarr/", "https://example.com/data.zarr/")]
    [InlineData("HTTPS://Example.com/a/b.zarr", "https://example.com/a/b.zarr/")]
    [InlineData("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x/")]
    public void HttpAndHttpsUrlsOpenAReadOnlyHttpStoreAtTheUrl(string url, string baseUri)
    {
        var loc = StoreResolver.Resolve(url);
        var store = Assert.IsType<HttpStore>(loc.Store.GetBackend());
        Assert.Equal(baseUri, store.BaseUri.ToString());
        Assert.Equal("", loc.Path);
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.List));
        Assert.Contains("https", StoreResolver.Schemes);
        Assert.Contains("http", StoreResolver.Schemes);
    }

    [Fact]
    public void HttpsIsKeptAndPlainHttpIsNeverChosenForTheUser()
    {
        var s = Assert.IsType<HttpStore>(StoreResolver.Resolve("https://example.com/d").Store.GetBackend());
        Assert.Equal("https", s.BaseUri.Scheme);
        Assert.Equal("https", new StoreOpenOptions { Endpoint = "minio.example.com:9000" }.GetEndpointUri()!.Scheme);
        Assert.Equal("http", new StoreOpenOptions { Endpoint = "http://127.0.0.1:9000" }.GetEndpointUri()!.Scheme);
        Assert.Null(new StoreOpenOptions().GetEndpointUri());
        Assert.Throws<ArgumentException>(() => new StoreOpenOptions { Endpoint = "ftp://x" }.GetEndpointUri());
    }

    [Fact]
    public void ARegisteredHostTakesItsUrlsAndOthersStayHttp()
    {
        // Registrations are process-wide: a host name no other test uses.
        var seen = new List<Uri>();
        StoreResolver.RegisterHost(u => u.Host.EndsWith(".resolver-test.invalid", StringComparison.OrdinalIgnoreCase),
            (u, o) => { seen.Add(u); return new StoreLocation(new MemoryStore(), u.AbsolutePath.Trim('/')); });
        var loc = StoreResolver.Resolve("https://bucket.resolver-test.invalid/data.zarr/group", new StoreOpenOptions { Anonymous = true });
        Assert.IsType<MemoryStore>(loc.Store.GetBackend());
        Assert.Equal("data.zarr/group", loc.Path);
        Assert.Single(seen);
        Assert.IsType<HttpStore>(StoreResolver.Resolve("https://resolver-test.invalid.example.org/x").Store.GetBackend());
    }

    [Fact]
    public void CloudHostsWithoutTheirPackageFallBackToHttpReads()
    {
        // This test project references no backend package: a public S3 object over https is still readable.
        var loc = StoreResolver.Resolve("https://example-bucket.s3.amazonaws.com/data.zarr");
        Assert.IsType<HttpStore>(loc.Store.GetBackend());
    }

    [Fact]
    public void AnUnknownSchemeNamesItWithoutItsSecrets()
    {
        var e = Assert.Throws<ArgumentException>(() => StoreResolver.Resolve("nope://host/p?sig=TopSecret123"));
        Assert.Contains("nope", e.Message);
        Assert.DoesNotContain("TopSecret123", e.Message);
    }

    [Fact]
    public void TheHttpStoreNeedsAnAbsoluteHttpUrl()
    {
        using var client = new HttpClient();
        Assert.Throws<ArgumentException>(() => new HttpStore(client, new Uri("ftp://host/x")));
        Assert.Throws<ArgumentException>(() => new HttpStore(client, new Uri("relative/x", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => new HttpStore(client));
        using var based = new HttpClient { BaseAddress = new Uri("https://example.com/root") };
        Assert.Equal("https://example.com/root/", new HttpStore(based).BaseUri.ToString());
    }
}
