using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.S3.Tests;

/// <summary>Opening by URL: StoreResolver finds the S3 store for s3:// and for the https forms of S3 addresses.</summary>
public sealed class S3UrlOpeningTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestData.Ct;

    /// <summary>Writes a small consolidated v2 group with one array at bucket/path.</summary>
    internal static async Task WriteGroupAsync(IAsyncStore store, string path)
    {
        var group = await ZarrGroup.CreateAsync(store, path, 2, new JsonObject { ["title"] = "over s3" }, cancellationToken: Ct);
        var array = await group.CreateArrayAsync("x", new ZarrArrayDefinition { Shape = [10], ChunkShape = [4], DataType = ZarrDataType.Int32, ZarrFormat = 2 }, Ct);
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(100, 10).ToArray(), 10), Ct);
        await group.ConsolidateMetadataAsync(Ct);
    }

    internal static async Task AssertGroupAsync(ZarrGroup group)
    {
        Assert.True(group.IsConsolidated);
        Assert.Equal("over s3", group.Attributes["title"]!.ToString());
        var x = await group.OpenArrayAsync("x", Ct);
        Assert.Equal(Enumerable.Range(100, 10), (await x.ReadAsync<int>(Zarr.Cloud.Indexing.Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task ZarrGroupOpensAnS3UrlWithTheEndpointFromOptions()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("url");
        await WriteGroupAsync(new S3Store(bucket, "", s3.Options()), "datasets/one.zarr");

        var group = await ZarrGroup.OpenAsync($"s3://{bucket}/datasets/one.zarr", new ZarrOpenOptions { Store = s3.Options() }, Ct);
        await AssertGroupAsync(group);
        var store = Assert.IsType<S3Store>(group.Store.GetBackend());
        Assert.Equal(bucket, store.Bucket);
        Assert.Equal("datasets/one.zarr", store.Prefix);

        // The general options (as the CLI's --anonymous sets them) are enough too.
        s3.RequireS3rver(S3rverFixture.AnonymousAccess + "; the signed half above has run");
        var anonymous = await ZarrGroup.OpenAsync($"s3://{bucket}/datasets/one.zarr", new ZarrOpenOptions { Store = new StoreOpenOptions { Anonymous = true, Endpoint = s3.Endpoint, ReadOnly = true } }, Ct);
        await AssertGroupAsync(anonymous);
        Assert.True(await ((S3Store)anonymous.Store.GetBackend()).IsAnonymousAsync(Ct));
        Assert.True(((S3Store)anonymous.Store.GetBackend()).ReadOnly);

        var array = await ZarrArray.OpenAsync($"s3://{bucket}/datasets/one.zarr/x", new ZarrOpenOptions { Store = s3.AnonymousOptions() }, Ct);
        Assert.Equal([10L], array.Shape);
    }

    [Fact]
    public async Task AMissingGroupIsNotFound()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await s3.CreateBucketAsync("nf");
        await Assert.ThrowsAsync<ZarrNodeNotFoundException>(() => ZarrGroup.OpenAsync($"s3://{bucket}/nothing.zarr", new ZarrOpenOptions { Store = s3.AnonymousOptions() }, Ct));
    }

    [Theory]
    [InlineData("s3://mur-sst/zarr-v1", "mur-sst", "zarr-v1", null)]
    [InlineData("https://mur-sst.s3.us-west-2.amazonaws.com/zarr-v1", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://s3.us-west-2.amazonaws.com/mur-sst/zarr-v1", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://mur-sst.s3.amazonaws.com/zarr-v1/", "mur-sst", "zarr-v1", null)]
    public void TheResolverTurnsS3AddressesIntoS3Stores(string url, string bucket, string prefix, string? region)
    {
        var location = StoreResolver.Resolve(url, new StoreOpenOptions { Anonymous = true });
        var store = Assert.IsType<S3Store>(location.Store.GetBackend());
        Assert.Equal("", location.Path);
        Assert.Equal(bucket, store.Bucket);
        Assert.Equal(prefix, store.Prefix);
        Assert.Equal(region, store.Address.Region);
        Assert.Null(store.Endpoint);
    }

    [Fact]
    public async Task AnHttpsAddressNamesItsRegionWithoutAskingS3()
    {
        // No request leaves the process: the region is in the host name, and GetRegionAsync needs no network.
        var location = StoreResolver.Resolve("https://mur-sst.s3.us-west-2.amazonaws.com/zarr-v1", new StoreOpenOptions { Anonymous = true });
        Assert.Equal("us-west-2", await ((S3Store)location.Store.GetBackend()).GetRegionAsync(Ct));
    }

    [Fact]
    public void OtherHttpsHostsAreNotS3()
    {
        try
        {
            var location = StoreResolver.Resolve("https://uk1s3.embassy.ebi.ac.uk/idr/zarr/v0.4/idr0062A/6001240.zarr");
            Assert.IsNotType<S3Store>(location.Store);
        }
        catch (ArgumentException)
        {
            // no https store registered in this test assembly: also not S3
        }
    }
}

/// <summary>
/// The AWS_* environment variables: these tests set them for the whole process, so they run alone
/// (a collection without parallelization), and put back what was there.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class S3EnvironmentTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestData.Ct;

    private static async Task WithEnvironmentAsync(Dictionary<string, string?> variables, Func<Task> body)
    {
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in variables) Environment.SetEnvironmentVariable(k, v);
            await body();
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }

    [Fact]
    public async Task AwsEndpointUrlAndKeysFromTheEnvironmentAreEnoughToOpenAnS3Url()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("env");
        await S3UrlOpeningTests.WriteGroupAsync(new S3Store(bucket, "", s3.Options()), "g.zarr");
        await WithEnvironmentAsync(new()
        {
            ["AWS_ENDPOINT_URL"] = s3.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey,
            ["AWS_REGION"] = "eu-north-1",
        }, async () =>
        {
            var group = await ZarrGroup.OpenAsync($"s3://{bucket}/g.zarr", cancellationToken: Ct);
            await S3UrlOpeningTests.AssertGroupAsync(group);
            var store = (S3Store)group.Store.GetBackend();
            Assert.Equal(new Uri(s3.Endpoint), store.Endpoint);
            Assert.False(await store.IsAnonymousAsync(Ct));
            Assert.Equal("eu-north-1", await store.GetRegionAsync(Ct));
        });
    }

    [Fact]
    public async Task AwsEndpointUrlS3WinsOverAwsEndpointUrl()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await s3.CreateBucketAsync("env-s3");
        await S3UrlOpeningTests.WriteGroupAsync(new S3Store(bucket, "", s3.Options()), "g.zarr");
        await WithEnvironmentAsync(new()
        {
            ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{Zarr.Cloud.Tests.Emulators.ServerProcess.FreePort()}",   // nobody there
            ["AWS_ENDPOINT_URL_S3"] = s3.Endpoint,
        }, async () =>
        {
            var group = await ZarrGroup.OpenAsync($"s3://{bucket}/g.zarr", new ZarrOpenOptions { Store = new StoreOpenOptions { Anonymous = true } }, Ct);
            await S3UrlOpeningTests.AssertGroupAsync(group);
        });
    }

    [Fact]
    public async Task AwsProfileChoosesTheProfile()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("env-profile");
        await WithEnvironmentAsync(new() { ["AWS_PROFILE"] = TestEnvironment.Profile }, async () =>
        {
            using var store = new S3Store(bucket, "", new S3StoreOptions { Endpoint = s3.Endpoint });
            Assert.False(await store.IsAnonymousAsync(Ct));
            Assert.Equal(TestEnvironment.ProfileRegion, await store.GetRegionAsync(Ct));
            await store.SetAsync("k", new byte[] { 3 }, Ct);
        });
    }
}
