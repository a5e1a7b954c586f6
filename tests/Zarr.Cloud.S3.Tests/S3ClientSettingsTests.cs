namespace Zarr.Cloud.S3.Tests;

/// <summary>Where the endpoint, region and addressing come from, with the environment given as a dictionary.</summary>
public sealed class S3ClientSettingsTests
{
    private static S3ClientSettings Resolve(S3StoreOptions options, Dictionary<string, string>? env = null, string address = "s3://b/p", Dictionary<string, string>? profiles = null)
    {
        env ??= [];
        profiles ??= [];
        return S3ClientSettings.Resolve(options, S3Address.Parse(address), !address.StartsWith("s3", StringComparison.Ordinal),
            n => env.TryGetValue(n, out var v) ? v : null, p => profiles.TryGetValue(p, out var r) ? r : null);
    }

    [Fact]
    public void NothingConfiguredMeansAmazonS3AndARegionToDiscover()
    {
        var s = Resolve(new S3StoreOptions());
        Assert.Null(s.Endpoint);
        Assert.False(s.IsCustomEndpoint);
        Assert.Null(s.Region);
        Assert.False(s.ForcePathStyle);
    }

    [Fact]
    public void DiscoveryOffMeansUsEast1()
        => Assert.Equal("us-east-1", Resolve(new S3StoreOptions { DiscoverRegion = false }).Region);

    [Fact]
    public void TheEndpointComesFromOptionsThenAwsEndpointUrlS3ThenAwsEndpointUrl()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://general:1", ["AWS_ENDPOINT_URL_S3"] = "http://s3only:2" };
        Assert.Equal("http://option:3/", Resolve(new S3StoreOptions { Endpoint = "http://option:3" }, env).Endpoint!.ToString());
        Assert.Equal("http://s3only:2/", Resolve(new S3StoreOptions(), env).Endpoint!.ToString());
        env.Remove("AWS_ENDPOINT_URL_S3");
        var s = Resolve(new S3StoreOptions(), env);
        Assert.Equal("http://general:1/", s.Endpoint!.ToString());
        // A custom endpoint: path-style, and a region for signing even when none is named.
        Assert.True(s.ForcePathStyle);
        Assert.Equal("us-east-1", s.Region);
        Assert.False(Resolve(new S3StoreOptions { ForcePathStyle = false }, env).ForcePathStyle);
    }

    [Fact]
    public void AnHttpsAwsAddressIgnoresTheEnvironmentsEndpoint()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://minio:9000" };
        var s = Resolve(new S3StoreOptions(), env, "https://b.s3.us-west-2.amazonaws.com/p");
        Assert.Null(s.Endpoint);
        Assert.Equal("us-west-2", s.Region);
    }

    [Fact]
    public void TheRegionComesFromOptionsThenTheAddressThenTheEnvironmentThenTheProfile()
    {
        var env = new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1", ["AWS_DEFAULT_REGION"] = "eu-west-2", ["AWS_PROFILE"] = "work" };
        var profiles = new Dictionary<string, string> { ["work"] = "ap-south-1", ["default"] = "sa-east-1", ["named"] = "ca-central-1" };
        const string https = "https://b.s3.us-west-2.amazonaws.com/p";
        Assert.Equal("af-south-1", Resolve(new S3StoreOptions { Region = "af-south-1" }, env, https, profiles).Region);
        Assert.Equal("us-west-2", Resolve(new S3StoreOptions(), env, https, profiles).Region);
        Assert.Equal("eu-west-1", Resolve(new S3StoreOptions(), env, profiles: profiles).Region);
        env.Remove("AWS_REGION");
        Assert.Equal("eu-west-2", Resolve(new S3StoreOptions(), env, profiles: profiles).Region);
        env.Remove("AWS_DEFAULT_REGION");
        Assert.Equal("ap-south-1", Resolve(new S3StoreOptions(), env, profiles: profiles).Region);
        Assert.Equal("ca-central-1", Resolve(new S3StoreOptions { Profile = "named" }, env, profiles: profiles).Region);
        env.Remove("AWS_PROFILE");
        Assert.Equal("sa-east-1", Resolve(new S3StoreOptions(), env, profiles: profiles).Region);
    }

    [Fact]
    public void ABadEndpointInTheEnvironmentIsReported()
        => Assert.Throws<ArgumentException>(() => Resolve(new S3StoreOptions(), new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "nope" }));

    [Fact]
    public void TheEndpointIsShownWithoutUserInfo()
    {
        var s = Resolve(new S3StoreOptions { Endpoint = "http://user:hunter2@127.0.0.1:9000/some/path?x=1" });
        Assert.Equal("http://127.0.0.1:9000", s.EndpointForDisplay);
        var store = new S3Store("b", "p", new S3StoreOptions { Endpoint = "http://user:hunter2@127.0.0.1:9000", Anonymous = true });
        Assert.DoesNotContain("hunter2", store.ToString());
        Assert.Equal("S3Store(s3://b/p at http://127.0.0.1:9000)", store.ToString());
    }

    [Fact]
    public void TheProfileRegionIsReadFromTheSharedConfigFile()
    {
        // TestEnvironment points AWS_CONFIG_FILE at a file with profile "zarrtest".
        Assert.Equal(TestEnvironment.ProfileRegion, S3ClientSettings.ProfileRegion(TestEnvironment.Profile));
        Assert.Null(S3ClientSettings.ProfileRegion("no-such-profile"));
    }
}
