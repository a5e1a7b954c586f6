using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Azure.Tests;

/// <summary>What is particular to Azure, against Azurite: suffix reads, paging, credentials, errors, URLs end to end.</summary>
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : CloudStoreTests
{
    private readonly List<AzureBlobStore> _stores = [];
    private readonly RequestCounter _counter = new();

    protected override void Require() => azurite.Require();

    protected override async ValueTask DisposeStoresAsync()
    {
        foreach (var s in _stores) await azurite.DeleteStoreAsync(s);
    }

    protected override async ValueTask<IAsyncStore> CreateStoreAsync(string prefix = "", int? listPageSize = null)
        => await NewStoreAsync(prefix, _counter, listPageSize);

    protected override int ListRequests => _counter.Listings;

    protected override IAsyncStore ReadOnlyView(IAsyncStore store)
    {
        var options = azurite.Options();
        options.ReadOnly = true;
        var azure = (AzureBlobStore)store;
        return AzureBlobStore.FromUrl($"az://{azure.Container.Name}/{azure.Prefix}", options);
    }

    protected override IAsyncStore UnreachableStore(string secret)
        => AzureBlobStore.FromUrl("az://c/p", new AzureBlobStoreOptions
        {
            AccountName = AzuriteFixture.Account,
            SasToken = "sv=2024-08-04&sp=r&sig=" + secret,
            ServiceUri = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}/{AzuriteFixture.Account}"),
        });

    private async Task<AzureBlobStore> NewStoreAsync(string prefix = "", RequestCounter? counter = null, int? listPageSize = null)
    {
        var s = await azurite.CreateStoreAsync(prefix, counter, listPageSize);
        _stores.Add(s);
        return s;
    }

    /// <summary>A second store on the same container with its own size cache and request counter.</summary>
    private AzureBlobStore Reader(AzureBlobStore store, RequestCounter counter)
        => AzureBlobStore.FromUrl($"az://{store.Container.Name}/{store.Prefix}", azurite.Options(counter));

    // ------------------------------------------------------------------ suffix reads

    [Fact]
    public async Task ASuffixReadAsksForTheSizeOnceThenReadsOnlyTheTail()
    {
        var writer = await NewStoreAsync("arr");
        var value = TestData.RandomBytes(1000);
        await writer.SetAsync("c/0", value, Ct);
        var counter = new RequestCounter();
        var reader = Reader(writer, counter);

        using (var tail = await reader.GetAsync("c/0", ByteRange.Suffix(16), Ct))
        {
            Assert.Equal(value[^16..], tail!.ToArray());
            Assert.Equal(1000, tail.TotalLength);
            Assert.NotNull(tail.ETag);
        }
        Assert.Equal(["HEAD", "GET bytes=984-999"], counter.Requests);

        counter.Reset();
        using (var tail = await reader.GetAsync("c/0", ByteRange.Suffix(100), Ct)) Assert.Equal(value[^100..], tail!.ToArray());
        Assert.Equal(["GET bytes=900-999"], counter.Requests);

        // A suffix longer than the value is the whole value, still one request.
        counter.Reset();
        using (var all = await reader.GetAsync("c/0", ByteRange.Suffix(5000), Ct)) Assert.Equal(value, all!.ToArray());
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task ASuffixReadOfABlobChangedSinceItsSizeWasCachedReadsTheNewBytes()
    {
        var writer = await NewStoreAsync();
        await writer.SetAsync("k", TestData.RandomBytes(1000, 1), Ct);
        var counter = new RequestCounter();
        var reader = Reader(writer, counter);
        using (var v = await reader.GetAsync("k", ByteRange.Suffix(8), Ct)) Assert.Equal(1000, v!.TotalLength);

        // Another writer shortens it: the cached size (1000) is stale; the If-Match read fails (412) and is redone.
        var shorter = TestData.RandomBytes(300, 2);
        await writer.SetAsync("k", shorter, Ct);
        counter.Reset();
        using (var v = await reader.GetAsync("k", ByteRange.Suffix(8), Ct))
        {
            Assert.Equal(shorter[^8..], v!.ToArray());
            Assert.Equal(300, v.TotalLength);
        }
        Assert.Equal(["GET bytes=992-999", "HEAD", "GET bytes=292-299"], counter.Requests);

        // Deleted: null, and no stale size is left behind.
        await writer.DeleteAsync("k", Ct);
        Assert.Null(await reader.GetAsync("k", ByteRange.Suffix(8), Ct));
        await writer.SetAsync("k", TestData.RandomBytes(50, 3), Ct);
        using (var v = await reader.GetAsync("k", ByteRange.Suffix(8), Ct)) Assert.Equal(TestData.RandomBytes(50, 3)[^8..], v!.ToArray());
    }

    [Fact]
    public async Task AWholeOrRangedReadTeachesTheSizeSoTheNextSuffixReadIsOneRequest()
    {
        var writer = await NewStoreAsync();
        var value = TestData.Sequence(200);
        await writer.SetAsync("a", value, Ct);
        await writer.SetAsync("b", value, Ct);
        var counter = new RequestCounter();
        var reader = Reader(writer, counter);
        using (var whole = await reader.GetAsync("a", default, Ct)) Assert.Equal(200, whole!.TotalLength);
        using (var part = await reader.GetAsync("b", ByteRange.Bounded(10, 5), Ct))
        {
            Assert.Equal(value[10..15], part!.ToArray());
            Assert.Equal(200, part.TotalLength);
        }
        counter.Reset();
        using (var t = await reader.GetAsync("a", ByteRange.Suffix(4), Ct)) Assert.Equal(value[^4..], t!.ToArray());
        using (var t = await reader.GetAsync("b", ByteRange.Suffix(4), Ct)) Assert.Equal(value[^4..], t!.ToArray());
        Assert.Equal(["GET bytes=196-199", "GET bytes=196-199"], counter.Requests);
    }

    [Fact]
    public async Task TheStoresOwnWritesKeepItsSizeCacheTrue()
    {
        var counter = new RequestCounter();
        var store = await NewStoreAsync(counter: counter);
        await store.SetAsync("k", TestData.Sequence(100), Ct);
        await store.SetAsync("k", TestData.Sequence(40), Ct);
        counter.Reset();
        using (var t = await store.GetAsync("k", ByteRange.Suffix(5), Ct)) Assert.Equal(TestData.Sequence(40)[^5..], t!.ToArray());
        Assert.Equal(["GET bytes=35-39"], counter.Requests);
    }

    [Fact]
    public async Task AShardedArrayReadsItsIndexByTheSuffixPath()
    {
        var counter = new RequestCounter();
        var store = await NewStoreAsync("sharded.zarr", counter);
        var def = new ZarrArrayDefinition { Shape = [64], ChunkShape = [8], ShardShape = [32], DataType = ZarrDataType.Int32 };
        var array = await ZarrArray.CreateAsync(store, "", def, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(0, 64).ToArray(), 64), Ct);
        var reader = Reader(store, new RequestCounter());
        var reopened = await ZarrArray.OpenAsync(reader, "", cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(40, 3).ToArray(), (await reopened.ReadAsync<int>(new Slice(40, 43))).Data);
    }

    // ------------------------------------------------------------------ listing

    // ------------------------------------------------------------------ errors and credentials

    [Fact]
    public async Task AMissingContainerReadsAsMissingButRefusesWrites()
    {
        var store = AzureBlobStore.FromUrl("az://nosuchcontainer/p", azurite.Options());
        Assert.Null(await store.GetAsync("k", default, Ct));
        Assert.Null(await store.GetAsync("k", ByteRange.Suffix(4), Ct));
        Assert.False(await store.ExistsAsync("k", Ct));
        await foreach (var _ in store.ListAsync("", Ct)) Assert.Fail("listed a key of a missing container");
        var (keys, folders) = await store.ListDirAsync("", Ct);
        Assert.Empty(keys);
        Assert.Empty(folders);
        await store.DeleteAsync("k", Ct);
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.SetAsync("k", new byte[] { 1 }, Ct));
        Assert.Equal(404, e.Status);
        Assert.False(e.IsTransient);
        Assert.Equal("k", e.Key);
        Assert.Equal("azure", e.Backend);
        Assert.Contains("ContainerNotFound", e.Message);
    }

    [Fact]
    public async Task AWrongAccountKeyIs403AndTheKeyNeverAppears()
    {
        var store = await NewStoreAsync();
        await store.SetAsync("k", new byte[] { 1 }, Ct);
        // A well-formed key that is not the account's, easy to recognise in any text.
        var wrongKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("RECOGNISABLE-WRONG-ACCOUNT-KEY-0123456789-RECOGNISABLE-WRONG-KEY!"));
        var bad = AzureBlobStore.FromUrl($"az://{store.Container.Name}", new AzureBlobStoreOptions { AccountName = AzuriteFixture.Account, AccountKey = wrongKey, ServiceUri = azurite.ServiceUri });
        var failures = new List<StoreException>
        {
            await Assert.ThrowsAsync<StoreException>(async () => await bad.GetAsync("k", default, Ct)),
            await Assert.ThrowsAsync<StoreException>(async () => await bad.GetAsync("k", ByteRange.Suffix(1), Ct)),
            await Assert.ThrowsAsync<StoreException>(async () => await bad.SetAsync("k", new byte[] { 2 }, Ct)),
            await Assert.ThrowsAsync<StoreException>(async () => await bad.DeleteAsync("k", Ct)),
            await Assert.ThrowsAsync<StoreException>(async () => { await foreach (var _ in bad.ListAsync("", Ct)) { } }),
        };
        foreach (var e in failures)
        {
            Assert.Equal(403, e.Status);
            Assert.False(e.IsTransient);
            Assert.Contains("access denied", e.Message);
            AssertNoSecret(e, wrongKey, "RECOGNISABLE");
        }
        AssertNoSecret(bad.ToString(), wrongKey);
    }

    [Fact]
    public async Task ASasReadsAndATamperedSasIs403WithoutTheSignatureAppearing()
    {
        var store = await NewStoreAsync("data");
        await store.SetAsync("k", TestData.Sequence(10), Ct);
        var sasUri = store.Container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));
        var query = sasUri.Query.TrimStart('?');
        var url = $"{azurite.ServiceUri}/{store.Container.Name}/data";

        var good = AzureBlobStore.FromUrl($"{url}?{query}");
        using (var v = await good.GetAsync("k", default, Ct)) Assert.Equal(TestData.Sequence(10), v!.ToArray());
        var listed = new List<string>();
        await foreach (var k in good.ListAsync("", Ct)) listed.Add(k);
        Assert.Equal(["k"], listed);
        Assert.DoesNotContain("sig=", good.ToString());

        const string fakeSig = "RECOGNISABLEFAKESIGNATURE0123456789abcdefgh%3D";
        var tampered = string.Join('&', query.Split('&').Select(p => p.StartsWith("sig=", StringComparison.Ordinal) ? "sig=" + fakeSig : p));
        var bad = AzureBlobStore.FromUrl($"{url}?{tampered}");
        var e = await Assert.ThrowsAsync<StoreException>(async () => await bad.GetAsync("k", default, Ct));
        Assert.Equal(403, e.Status);
        AssertNoSecret(e, "RECOGNISABLEFAKESIGNATURE");
        AssertNoSecret(bad.ToString(), "RECOGNISABLEFAKESIGNATURE");
        // The same through the options rather than the URL.
        var viaOptions = AzureBlobStore.FromUrl($"az://{store.Container.Name}/data", new AzureBlobStoreOptions { SasToken = "?" + tampered, AccountName = AzuriteFixture.Account, ServiceUri = azurite.ServiceUri });
        AssertNoSecret(await Assert.ThrowsAsync<StoreException>(async () => await viaOptions.GetAsync("k", default, Ct)), "RECOGNISABLEFAKESIGNATURE");
    }

    private static void AssertNoSecret(Exception e, params string[] secrets) => AssertNoSecret(e.ToString(), secrets);

    private static void AssertNoSecret(string text, params string[] secrets)
    {
        foreach (var s in secrets) Assert.DoesNotContain(s, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousReadsOfAPublicContainerWork()
    {
        var store = await NewStoreAsync();
        await store.SetAsync("p/k", TestData.Sequence(5), Ct);
        await store.Container.SetAccessPolicyAsync(PublicAccessType.BlobContainer, cancellationToken: Ct);
        var anonymous = AzureBlobStore.FromUrl($"{azurite.ServiceUri}/{store.Container.Name}/p", new StoreOpenOptions { Anonymous = true, ReadOnly = true });
        using (var v = await anonymous.GetAsync("k", ByteRange.Suffix(2), Ct)) Assert.Equal(new byte[] { 3, 4 }, v!.ToArray());
        Assert.Null(await anonymous.GetAsync("missing", default, Ct));
        var keys = new List<string>();
        await foreach (var k in anonymous.ListAsync("", Ct)) keys.Add(k);
        Assert.Equal(["k"], keys);
        await Assert.ThrowsAsync<StoreException>(async () => await anonymous.SetAsync("k", new byte[] { 1 }, Ct));
    }

    [Fact]
    public async Task AnonymousReadsOfAPrivateContainerFailRatherThanReadAsMissing()
    {
        var store = await NewStoreAsync();
        await store.SetAsync("k", TestData.Sequence(5), Ct);
        var anonymous = AzureBlobStore.FromUrl($"{azurite.ServiceUri}/{store.Container.Name}", new StoreOpenOptions { Anonymous = true });
        var e = await Assert.ThrowsAsync<StoreException>(async () => await anonymous.GetAsync("k", default, Ct));
        Assert.True(e.Status is 403 or 404);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task AStoreOverTheCallersOwnContainerClientWorks()
    {
        var store = await NewStoreAsync();
        var own = new AzureBlobStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(store.Container.Name), "mine");
        await own.SetAsync("a/b", new byte[] { 9 }, Ct);
        using var v = await store.GetAsync("mine/a/b", default, Ct);
        Assert.Equal(new byte[] { 9 }, v!.ToArray());
        Assert.Contains(store.Container.Name + "/mine", own.ToString());
    }

    // ------------------------------------------------------------------ URLs end to end

    [Fact]
    public async Task ZarrGroupOpensAnAzUrlWithAConnectionStringInTheOptions()
    {
        var (store, data) = await WriteDatasetAsync();
        var container = ((AzureBlobStore)store).Container.Name;
        var group = await ZarrGroup.OpenAsync($"az://{container}/sst.zarr", new ZarrOpenOptions { Store = azurite.Options() }, Ct);
        Assert.IsType<AzureBlobStore>(group.Store.GetBackend());
        await AssertDatasetAsync(group, data);
    }

    [Theory]
    [InlineData("abfss://{0}@devstoreaccount1.dfs.core.windows.net/sst.zarr")]
    [InlineData("abfs://{0}@devstoreaccount1.dfs.core.windows.net/sst.zarr")]
    [InlineData("https://devstoreaccount1.blob.core.windows.net/{0}/sst.zarr")]
    [InlineData("az://{0}@devstoreaccount1.blob.core.windows.net/sst.zarr")]
    public async Task ZarrGroupOpensEveryUrlFormAgainstTheEmulatorEndpoint(string pattern)
    {
        var (store, data) = await WriteDatasetAsync();
        var container = ((AzureBlobStore)store).Container.Name;
        var options = new AzureBlobStoreOptions { AccountName = AzuriteFixture.Account, AccountKey = AzuriteFixture.Key, ServiceUri = azurite.ServiceUri };
        var group = await ZarrGroup.OpenAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, container), new ZarrOpenOptions { Store = options }, Ct);
        await AssertDatasetAsync(group, data);
    }

    [Fact]
    public async Task ZarrGroupOpensAnAzUrlWithTheConnectionStringFromTheEnvironment()
    {
        var (store, data) = await WriteDatasetAsync();
        var container = ((AzureBlobStore)store).Container.Name;
        var before = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
        Environment.SetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING", azurite.ConnectionString);
        try
        {
            var group = await ZarrGroup.OpenAsync($"az://{container}/sst.zarr", cancellationToken: Ct);
            await AssertDatasetAsync(group, data);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING", before);
        }
    }
}
