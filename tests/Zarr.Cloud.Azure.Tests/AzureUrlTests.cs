using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Azure.Tests;

/// <summary>Every URL form, and which credential the options, the URL and the environment choose (no emulator needed).</summary>
public sealed class AzureUrlTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static Func<string, string?> Env(Dictionary<string, string> vars) => name => vars.GetValueOrDefault(name);

    [Theory]
    [InlineData("az://data/path/to/array.zarr", null, null, "data", "path/to/array.zarr")]
    [InlineData("az://data", null, null, "data", "")]
    [InlineData("az://data/", null, null, "data", "")]
    [InlineData("az://data@acct.blob.core.windows.net/p", "acct", "https://acct.blob.core.windows.net/", "data", "p")]
    [InlineData("abfs://data@acct.dfs.core.windows.net/p/q", "acct", "http://acct.blob.core.windows.net/", "data", "p/q")]
    [InlineData("abfss://data@acct.dfs.core.windows.net/p/q", "acct", "https://acct.blob.core.windows.net/", "data", "p/q")]
    [InlineData("abfss://data@acct.dfs.core.chinacloudapi.cn/p", "acct", "https://acct.blob.core.chinacloudapi.cn/", "data", "p")]
    [InlineData("abfss://data/p", null, null, "data", "p")]
    [InlineData("https://acct.blob.core.windows.net/data/sst.zarr", "acct", "https://acct.blob.core.windows.net/", "data", "sst.zarr")]
    [InlineData("https://acct.blob.core.windows.net/data", "acct", "https://acct.blob.core.windows.net/", "data", "")]
    [InlineData("https://acct.dfs.core.windows.net/data/a/b", "acct", "https://acct.blob.core.windows.net/", "data", "a/b")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/data/x", "devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1", "data", "x")]
    [InlineData("az://data/donn%C3%A9es/%C3%B1", null, null, "data", "données/ñ")]
    public void ParsesEveryUrlForm(string url, string? account, string? service, string container, string path)
    {
        var a = AzureBlobAddress.Parse(new Uri(url));
        Assert.Equal(account, a.AccountName);
        Assert.Equal(service, a.ServiceUri?.ToString());
        Assert.Equal(container, a.Container);
        Assert.Equal(path, a.Path);
        Assert.Null(a.SasToken);
    }

    [Fact]
    public void ASasInTheQueryIsTakenAndNeverShown()
    {
        const string sig = "SeCrEtSiGnAtUrE0123456789abcdef%3D";
        var a = AzureBlobAddress.Parse(new Uri($"https://acct.blob.core.windows.net/data/x?sv=2024-08-04&sp=r&sig={sig}"));
        Assert.Equal($"sv=2024-08-04&sp=r&sig={sig}", a.SasToken);
        Assert.DoesNotContain("SeCrEt", a.ToString());
        var store = AzureBlobStore.FromUrl(new Uri($"https://acct.blob.core.windows.net/data/x?sv=2024-08-04&sp=r&sig={sig}"), null, Env(NoEnvironment));
        Assert.DoesNotContain("SeCrEt", store.ToString());
        Assert.Equal("AzureBlobStore(https://acct.blob.core.windows.net/data/x)", store.ToString());
    }

    [Theory]
    [InlineData("az:///path")]
    [InlineData("https://acct.blob.core.windows.net/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("az://data/a%2F..%2F..%2Fb")]
    [InlineData("s3://bucket/key")]
    public void RejectsUrlsThatNameNoContainerOrEscape(string url)
        => Assert.ThrowsAny<ArgumentException>(() => AzureBlobAddress.Parse(new Uri(url)));

    [Fact]
    public void AnAzUrlWithoutAnAccountAnywhereIsAnErrorThatSaysHowToNameOne()
    {
        var e = Assert.Throws<ArgumentException>(() => AzureBlobStore.FromUrl(new Uri("az://data/x"), new AzureBlobStoreOptions(), Env(NoEnvironment)));
        Assert.Contains("AccountName", e.Message);
        Assert.Contains("AZURE_STORAGE_CONNECTION_STRING", e.Message);
    }

    private static AzureConnection Choose(string url, AzureBlobStoreOptions options, Dictionary<string, string>? env = null)
        => AzureConnection.Choose(AzureBlobAddress.Parse(new Uri(url)), options, Env(env ?? NoEnvironment));

    [Fact]
    public void CredentialsAreChosenInTheDocumentedOrder()
    {
        const string url = "https://acct.blob.core.windows.net/data/x";
        Assert.Equal(AzureConnection.CredentialKind.ConnectionString, Choose(url, new() { ConnectionString = "AccountName=acct;AccountKey=a2V5;BlobEndpoint=https://acct.blob.core.windows.net;", SasToken = "sig=x" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.Anonymous, Choose(url, new() { Anonymous = true, SasToken = "sig=x" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.Sas, Choose(url, new() { SasToken = "?sv=1&sig=x", AccountKey = "a2V5" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.SharedKey, Choose(url, new() { AccountKey = "a2V5" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.Sas, Choose(url + "?sv=1&sig=x", new()).Kind);
        Assert.Equal(AzureConnection.CredentialKind.Sas, Choose(url, new(), new() { ["AZURE_STORAGE_SAS_TOKEN"] = "sv=1&sig=x" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.SharedKey, Choose(url, new(), new() { ["AZURE_STORAGE_ACCOUNT_KEY"] = "a2V5" }).Kind);
        Assert.Equal(AzureConnection.CredentialKind.DefaultAzureCredential, Choose(url, new()).Kind);
        Assert.Equal(AzureConnection.CredentialKind.Anonymous, Choose(url, new() { UseDefaultCredential = false }).Kind);
    }

    [Fact]
    public void TheEnvironmentsConnectionStringServesOnlyItsOwnAccountOrUrlsWithoutOne()
    {
        var env = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;" };
        Assert.Equal(AzureConnection.CredentialKind.ConnectionString, Choose("az://data/x", new(), env).Kind);
        Assert.Equal(AzureConnection.CredentialKind.ConnectionString, Choose("https://devstoreaccount1.blob.core.windows.net/data/x", new(), env).Kind);
        // Another account's URL must not be sent to the connection string's account.
        var other = Choose("https://other.blob.core.windows.net/data/x", new(), env);
        Assert.Equal(AzureConnection.CredentialKind.DefaultAzureCredential, other.Kind);
        Assert.Equal("https://other.blob.core.windows.net/", other.ServiceUri!.ToString());
        // Anonymous means no credential, not even the environment's.
        Assert.Equal(AzureConnection.CredentialKind.Anonymous, Choose("https://devstoreaccount1.blob.core.windows.net/data/x", new() { Anonymous = true }, env).Kind);
    }

    [Fact]
    public void TheAccountOfAnAzUrlComesFromOptionsOrTheEnvironment()
    {
        Assert.Equal("https://fromoptions.blob.core.windows.net/", Choose("az://data/x", new() { AccountName = "fromoptions" }).ServiceUri!.ToString());
        Assert.Equal("https://fromenv.blob.core.windows.net/", Choose("az://data/x", new(), new() { ["AZURE_STORAGE_ACCOUNT_NAME"] = "fromenv" }).ServiceUri!.ToString());
        Assert.Equal("http://127.0.0.1:9/devstoreaccount1", Choose("az://data/x", new() { AccountName = "devstoreaccount1", Endpoint = "http://127.0.0.1:9/devstoreaccount1" }).ServiceUri!.ToString());
        Assert.Equal("https://storage.example/acct", Choose("az://data/x", new() { AccountName = "acct", Endpoint = "storage.example/acct" }).ServiceUri!.ToString());
        Assert.Equal("http://127.0.0.1:9/acct", Choose("az://data/x", new() { AccountName = "acct", ServiceUri = new Uri("http://127.0.0.1:9/acct") }).ServiceUri!.ToString());
    }

    [Fact]
    public void CommonStoreOptionsCarryOver()
    {
        var store = AzureBlobStore.FromUrl(new Uri("https://acct.blob.core.windows.net/data/x"), new StoreOpenOptions { ReadOnly = true, Anonymous = true }, Env(NoEnvironment));
        Assert.True(store.ReadOnly);
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.False(store.Capabilities.HasFlag(StoreCapabilities.SuffixRanges));
        Assert.Equal("data", store.Container.Name);
        Assert.Equal("x", store.Prefix);
    }

    [Theory]
    [InlineData("az://data/x")]
    [InlineData("abfs://data@acct.dfs.core.windows.net/x")]
    [InlineData("abfss://data@acct.dfs.core.windows.net/x")]
    [InlineData("https://acct.blob.core.windows.net/data/x")]
    [InlineData("https://acct.dfs.core.windows.net/data/x")]
    public void TheResolverSendsEveryFormToThisPackage(string url)
    {
        var loc = StoreResolver.Resolve(url, new AzureBlobStoreOptions { AccountName = "acct", Anonymous = true });
        var store = Assert.IsType<AzureBlobStore>(loc.Store.GetBackend());
        Assert.Equal("", loc.Path);
        Assert.Equal("data", store.Container.Name);
        Assert.Equal("x", store.Prefix);
    }

    [Theory]
    [InlineData("bytes 0-9/100", 0, 100)]
    [InlineData("bytes 90-99/100", 90, 100)]
    [InlineData("bytes 0--1/0", 0, 0)]
    public void ParsesContentRange(string value, long start, long total)
    {
        Assert.True(AzureBlobStore.TryParseContentRange(value, out var s, out var t));
        Assert.Equal((start, total), (s, t));
    }

    [Theory]
    [InlineData("bytes */100")]
    [InlineData("items 0-1/2")]
    [InlineData("bytes 0-1/*")]
    public void RejectsContentRangesWithoutStartOrTotal(string value) => Assert.False(AzureBlobStore.TryParseContentRange(value, out _, out _));
}
