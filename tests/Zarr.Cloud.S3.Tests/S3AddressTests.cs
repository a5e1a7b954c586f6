using Zarr.Cloud.Storage;

namespace Zarr.Cloud.S3.Tests;

public sealed class S3AddressTests
{
    [Theory]
    [InlineData("s3://mur-sst/zarr-v1", "mur-sst", "zarr-v1", null)]
    [InlineData("s3://mur-sst/zarr-v1/", "mur-sst", "zarr-v1", null)]
    [InlineData("s3://mur-sst", "mur-sst", "", null)]
    [InlineData("s3://mur-sst/", "mur-sst", "", null)]
    [InlineData("S3://bucket/a/b/c.zarr", "bucket", "a/b/c.zarr", null)]
    [InlineData("s3a://bucket/a", "bucket", "a", null)]
    [InlineData("s3://my.dotted.bucket/x", "my.dotted.bucket", "x", null)]
    [InlineData("s3://bucket/with space/%41", "bucket", "with space/%41", null)]   // s3:// keys are literal
    [InlineData("s3://bucket/données/日本", "bucket", "données/日本", null)]
    // virtual-hosted
    [InlineData("https://mur-sst.s3.us-west-2.amazonaws.com/zarr-v1", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://mur-sst.s3.us-west-2.amazonaws.com/zarr-v1/", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://mur-sst.s3.amazonaws.com/zarr-v1", "mur-sst", "zarr-v1", null)]
    [InlineData("https://bucket.s3-eu-west-1.amazonaws.com/a/b", "bucket", "a/b", "eu-west-1")]
    [InlineData("https://bucket.s3.dualstack.ap-southeast-2.amazonaws.com/a", "bucket", "a", "ap-southeast-2")]
    [InlineData("https://my.dotted.bucket.s3.us-east-1.amazonaws.com/x", "my.dotted.bucket", "x", "us-east-1")]
    [InlineData("https://bucket.s3.cn-north-1.amazonaws.com.cn/x", "bucket", "x", "cn-north-1")]
    [InlineData("https://bucket.s3.us-gov-west-1.amazonaws.com/x", "bucket", "x", "us-gov-west-1")]
    [InlineData("https://bucket.s3.us-west-2.amazonaws.com/with%20space/%C3%A9", "bucket", "with space/é", "us-west-2")]
    // path-style
    [InlineData("https://s3.us-west-2.amazonaws.com/mur-sst/zarr-v1", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://s3.amazonaws.com/mur-sst/zarr-v1", "mur-sst", "zarr-v1", null)]
    [InlineData("https://s3-us-west-2.amazonaws.com/mur-sst/zarr-v1/", "mur-sst", "zarr-v1", "us-west-2")]
    [InlineData("https://s3.eu-central-1.amazonaws.com/bucket", "bucket", "", "eu-central-1")]
    [InlineData("https://s3.dualstack.us-east-2.amazonaws.com/bucket/p", "bucket", "p", "us-east-2")]
    [InlineData("https://s3.us-west-2.amazonaws.com/bucket/a/b?versionId=1", "bucket", "a/b", "us-west-2")]
    public void ParsesEveryFormOfAnS3Address(string url, string bucket, string prefix, string? region)
    {
        var a = S3Address.Parse(url);
        Assert.Equal(bucket, a.Bucket);
        Assert.Equal(prefix, a.Prefix);
        Assert.Equal(region, a.Region);
    }

    [Theory]
    [InlineData("https://example.com/bucket/x")]
    [InlineData("https://storage.googleapis.com/bucket/x")]
    [InlineData("https://ec2.us-west-2.amazonaws.com/x")]
    [InlineData("https://uk1s3.embassy.ebi.ac.uk/idr/zarr")]
    [InlineData("gs://bucket/x")]
    [InlineData("s3://")]
    [InlineData("s3:///x")]
    [InlineData("https://s3.us-west-2.amazonaws.com/")]
    [InlineData("s3://bucket/a/../b")]
    [InlineData("s3://bucket/a//b")]
    [InlineData("/local/path")]
    [InlineData("")]
    public void RefusesWhatIsNotAnS3Address(string url)
    {
        Assert.False(S3Address.TryParse(url, out _));
        Assert.Throws<ArgumentException>(() => S3Address.Parse(url));
    }

    [Fact]
    public void ToStringIsTheS3Url()
    {
        Assert.Equal("s3://b/p/q", S3Address.Parse("https://b.s3.us-west-2.amazonaws.com/p/q").ToString());
        Assert.Equal("s3://b", S3Address.Parse("s3://b/").ToString());
    }

    [Theory]
    [InlineData("mur-sst.s3.us-west-2.amazonaws.com", true)]
    [InlineData("s3.amazonaws.com", true)]
    [InlineData("s3.us-west-2.amazonaws.com", true)]
    [InlineData("dynamodb.us-west-2.amazonaws.com", false)]
    [InlineData("example.com", false)]
    [InlineData("s3.example.com", false)]
    public void KnowsS3HostNames(string host, bool isS3) => Assert.Equal(isS3, S3Address.IsS3Host(host));

    [Fact]
    public void KeysAreJoinedUnderThePrefix()
    {
        Assert.Equal("k", new S3Address("b", "").ObjectKey("k"));
        Assert.Equal("p/q/k/0", new S3Address("b", "p/q").ObjectKey("k/0"));
    }

    [Fact]
    public void TheStoreConstructorRejectsABucketWithASlash()
    {
        Assert.Throws<ArgumentException>(() => new S3Store("bucket/path"));
        Assert.Throws<ArgumentException>(() => new S3Store("bucket", "../x"));
        Assert.Equal("a/b", new S3Store("bucket", "/a/b/", new S3StoreOptions { Anonymous = true, Region = "us-east-1" }).Prefix);
    }

    [Fact]
    public void StoreOpenOptionsBecomeS3Options()
    {
        var general = new StoreOpenOptions { Anonymous = true, Endpoint = "http://127.0.0.1:1", Region = "eu-west-3", ReadOnly = true };
        var s3 = S3StoreOptions.From(general);
        Assert.True(s3.Anonymous);
        Assert.True(s3.ReadOnly);
        Assert.Equal("http://127.0.0.1:1", s3.Endpoint);
        Assert.Equal("eu-west-3", s3.Region);
        Assert.True(s3.TreatForbiddenAsMissing);
        var same = new S3StoreOptions();
        Assert.Same(same, S3StoreOptions.From(same));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void OptionsAreValidated(int pageSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3Store("b", "", new S3StoreOptions { ListPageSize = pageSize }));
        Assert.Throws<ArgumentException>(() => new S3Store("b", "", new S3StoreOptions { AccessKeyId = "x" }));
        Assert.Throws<ArgumentException>(() => new S3Store("b", "", new S3StoreOptions { Endpoint = "not a url" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3Store("b", "", new S3StoreOptions { MaxErrorRetry = -1 }));
    }
}
