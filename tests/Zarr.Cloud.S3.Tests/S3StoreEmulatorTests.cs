using Amazon.S3.Model;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;
using ByteRange = Zarr.Cloud.Storage.ByteRange;

namespace Zarr.Cloud.S3.Tests;

/// <summary>What the S3 store does against a real S3-compatible server (s3rver), beyond the shared store contract.</summary>
public sealed class S3StoreEmulatorTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestData.Ct;

    private static async Task<List<string>> ListAllAsync(IAsyncStore store, string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var k in store.ListAsync(prefix, Ct)) keys.Add(k);
        return keys;
    }

    private static bool IsList(RecordedRequest r) => r.Method == "GET" && r.Uri.Query.Contains("list-type=2", StringComparison.Ordinal);

    [Fact]
    public async Task ListingPagesThroughMoreThanAThousandKeys()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("many");
        var h = InterceptingHandler.OverNetwork();
        using var store = new S3Store(bucket, "arr", s3.Options().Through(h));
        var expected = Enumerable.Range(0, 1050).Select(i => $"c/{i / 100}/{i % 100}").ToList();
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct },
            async (k, ct) => await store.SetAsync(k, new byte[] { 1 }, ct));
        await s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "arr-sibling/x", ContentBody = "x", UseChunkEncoding = false }, Ct);

        var listed = await ListAllAsync(store);
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct().Count());
        // S3 answers at most 1000 keys a page: two pages, the second asked for with the continuation token.
        var lists = h.Requests.Where(IsList).ToList();
        Assert.Equal(2, lists.Count);
        Assert.Contains("continuation-token=", lists[1].Uri.Query);

        var small = new S3Store(bucket, "arr", s3.Options(o => o.ListPageSize = 100));
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await ListAllAsync(small)).Order(StringComparer.Ordinal));
        Assert.Equal(100, (await ListAllAsync(small, "c/3/")).Count);
    }

    [Fact]
    public async Task ListDirGivesOneLevelEvenAcrossPages()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("dir");
        using var store = new S3Store(bucket, "root", s3.Options());
        foreach (var k in new[] { "g/.zgroup", "g/.zattrs", "g/a/.zarray", "g/a/0.0", "g/b/c/d", "g/b/c/e", "g/z/zarr.json", "g/z/c/0/0", "top" })
            await store.SetAsync(k, new byte[] { 1 }, Ct);
        // A folder marker as consoles make them is not a key.
        await s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "root/g/marker/", ContentBody = "", UseChunkEncoding = false }, Ct);

        var (keys, folders) = await store.ListDirAsync("g", Ct);
        Assert.Equal([".zattrs", ".zgroup"], keys);
        Assert.Equal(["a", "b", "marker", "z"], folders);
        var paged = new S3Store(bucket, "root", s3.Options(o => o.ListPageSize = 1));
        var pagedResult = await paged.ListDirAsync("g/", Ct);
        Assert.Equal(keys, pagedResult.Keys);
        Assert.Equal(folders, pagedResult.Folders);
        var root = await store.ListDirAsync("", Ct);
        Assert.Equal(["top"], root.Keys);
        Assert.Equal(["g"], root.Folders);
        Assert.Equal(["c"], (await store.ListDirAsync("g/z", Ct)).Folders);
        Assert.Empty((await store.ListDirAsync("nothing/here", Ct)).Keys);
        Assert.DoesNotContain("g/marker/", await ListAllAsync(store));
    }

    [Fact]
    public async Task StoredObjectsHoldExactlyTheBytesWithNoAwsChunkedFraming()
    {
        s3.RequireS3rver("its data folder on disk, and " + S3rverFixture.AnonymousAccess);
        var bucket = await s3.CreateBucketAsync("raw");
        using var store = new S3Store(bucket, "p", s3.Options());
        var value = TestData.RandomBytes(70_000, 5);
        await store.SetAsync("chunk/0.0", value, Ct);
        // The file s3rver wrote, and what an anonymous plain-HTTP GET returns, are the bytes themselves.
        Assert.Equal(value, await File.ReadAllBytesAsync(s3.ObjectFile(bucket, "p/chunk/0.0"), Ct));
        using var http = new HttpClient();
        Assert.Equal(value, await http.GetByteArrayAsync($"{s3.Endpoint}/{bucket}/p/chunk/0.0", Ct));

        // Control: the SDK's default upload over http (aws-chunked) stores the framing, which this test would catch.
        await s3.Admin.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "framed", InputStream = new MemoryStream(value) }, Ct);
        var framed = await File.ReadAllBytesAsync(s3.ObjectFile(bucket, "framed"), Ct);
        Assert.NotEqual(value.Length, framed.Length);
        Assert.Contains(";chunk-signature=", System.Text.Encoding.ASCII.GetString(framed, 0, 200));
    }

    [Fact]
    public async Task AnonymousReadsOfAPublicBucket()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await s3.CreateBucketAsync("public");
        using (var writer = new S3Store(bucket, "data", s3.Options())) await writer.SetAsync("a/b", TestData.Sequence(64), Ct);
        var h = InterceptingHandler.OverNetwork();
        using var reader = new S3Store(bucket, "data", s3.AnonymousOptions().Through(h));
        Assert.True(await reader.IsAnonymousAsync(Ct));
        using (var v = await reader.GetAsync("a/b", ByteRange.Suffix(4), Ct)) Assert.Equal(TestData.Sequence(64)[60..], v!.ToArray());
        Assert.Null(await reader.GetAsync("a/missing", default, Ct));
        Assert.Equal(["a/b"], await ListAllAsync(reader));
        Assert.NotEmpty(h.Requests);
        Assert.All(h.Requests, r => Assert.False(r.IsSigned));
    }

    [Fact]
    public async Task NoCredentialsAnywhereMeansAnonymous()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await s3.CreateBucketAsync("nocreds");
        using (var writer = new S3Store(bucket, "", s3.Options())) await writer.SetAsync("k", new byte[] { 42 }, Ct);
        // TestEnvironment leaves the SDK's chain nothing: no variables, no "default" profile, no instance metadata.
        var h = InterceptingHandler.OverNetwork();
        using var store = new S3Store(bucket, "", new S3StoreOptions { Endpoint = s3.Endpoint }.Through(h));
        Assert.True(await store.IsAnonymousAsync(Ct));
        using (var v = await store.GetAsync("k", default, Ct)) Assert.Equal(new byte[] { 42 }, v!.ToArray());
        Assert.All(h.Requests, r => Assert.False(r.IsSigned));

        using var strict = new S3Store(bucket, "", new S3StoreOptions { Endpoint = s3.Endpoint, AnonymousWhenNoCredentials = false });
        var e = await Assert.ThrowsAsync<StoreException>(async () => await strict.GetAsync("k", default, Ct));
        Assert.Contains("no AWS credentials", e.Message);
        Assert.Equal("k", e.Key);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task ANamedProfileGivesCredentialsAndRegion()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("profile");
        var h = InterceptingHandler.OverNetwork();
        using var store = new S3Store(bucket, "", new S3StoreOptions { Endpoint = s3.Endpoint, Profile = TestEnvironment.Profile }.Through(h));
        Assert.False(await store.IsAnonymousAsync(Ct));
        Assert.Equal(TestEnvironment.ProfileRegion, await store.GetRegionAsync(Ct));
        await store.SetAsync("k", new byte[] { 1, 2 }, Ct);
        using (var v = await store.GetAsync("k", default, Ct)) Assert.Equal(new byte[] { 1, 2 }, v!.ToArray());
        Assert.All(h.Requests, r => Assert.Contains($"{S3rverFixture.AccessKey}/", r.Header("Authorization")));
        Assert.All(h.Requests, r => Assert.Contains($"/{TestEnvironment.ProfileRegion}/s3/aws4_request", r.Header("Authorization")));

        using var missing = new S3Store(bucket, "", new S3StoreOptions { Endpoint = s3.Endpoint, Profile = "no-such-profile" });
        var e = await Assert.ThrowsAsync<StoreException>(async () => await missing.GetAsync("k", default, Ct));
        Assert.Contains("no-such-profile", e.Message);
        Assert.Equal("k", e.Key);
    }

    [Fact]
    public async Task ETagAndTotalLengthComeWithEveryRead()
    {
        s3.Require();
        using var store = new S3Store(await s3.CreateBucketAsync("etag"), "", s3.Options());
        await store.SetAsync("k", TestData.Sequence(100), Ct);
        using var whole = await store.GetAsync("k", default, Ct);
        Assert.False(string.IsNullOrEmpty(whole!.ETag));
        Assert.Equal(100, whole.TotalLength);
        foreach (var range in new[] { ByteRange.Bounded(10, 20), ByteRange.Suffix(5), ByteRange.FromOffset(50), ByteRange.Bounded(0, 0) })
        {
            using var part = await store.GetAsync("k", range, Ct);
            Assert.Equal(100, part!.TotalLength);
            Assert.Equal(whole.ETag, part.ETag);
        }
    }

    [Fact]
    public async Task AMissingBucketIsAnErrorNotAnEmptyStore()
    {
        s3.Require();
        using var store = new S3Store("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "", s3.Options());
        var e = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.Equal(404, e.Status);
        Assert.False(e.IsTransient);
        await Assert.ThrowsAsync<StoreException>(async () => await ListAllAsync(store));
    }

    [Fact]
    public async Task AServerThatIsNotThereIsATransientError()
    {
        var endpoint = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        using var store = new S3Store("b", "", new S3StoreOptions { Endpoint = endpoint, Anonymous = true });
        var get = await Assert.ThrowsAsync<StoreException>(async () => await store.GetAsync("k", default, Ct));
        Assert.True(get.IsTransient);
        Assert.Null(get.Status);
        var list = await Assert.ThrowsAsync<StoreException>(async () => await ListAllAsync(store));
        Assert.True(list.IsTransient);
        var put = await Assert.ThrowsAsync<StoreException>(async () => await store.SetAsync("k", new byte[] { 1 }, Ct));
        Assert.True(put.IsTransient);
    }

    [Fact]
    public async Task AReadOnlyStoreRefusesWritesAndDeletes()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("ro");
        using (var writer = new S3Store(bucket, "", s3.Options())) await writer.SetAsync("k", new byte[] { 1 }, Ct);
        using var ro = new S3Store(bucket, "", s3.Options(o => o.ReadOnly = true));
        Assert.False(ro.Capabilities.HasFlag(StoreCapabilities.Write));
        Assert.Contains("read-only", (await Assert.ThrowsAsync<StoreException>(async () => await ro.SetAsync("k", new byte[] { 2 }, Ct))).Message);
        await Assert.ThrowsAsync<StoreException>(async () => await ro.DeleteAsync("k", Ct));
        using var v = await ro.GetAsync("k", default, Ct);
        Assert.Equal(new byte[] { 1 }, v!.ToArray());
    }

    [Fact]
    public async Task ManyRangesOfOneKeyAreCoalesced()
    {
        s3.Require();
        var h = InterceptingHandler.OverNetwork();
        using var store = new S3Store(await s3.CreateBucketAsync("ranges"), "", s3.Options().Through(h));
        var value = TestData.RandomBytes(10_000, 3);
        await store.SetAsync("shard", value, Ct);
        var before = h.Requests.Count;
        var ranges = Enumerable.Range(0, 20).Select(i => ByteRange.Bounded(i * 400, 100)).Append(ByteRange.Suffix(16)).ToList();
        var results = await store.GetRangesAsync("shard", ranges, Ct);
        for (int i = 0; i < 20; i++) Assert.Equal(value.AsSpan(i * 400, 100).ToArray(), results[i]!.ToArray());
        Assert.Equal(value[^16..], results[20]!.ToArray());
        Assert.Equal(2, h.Requests.Count - before); // one merged range, and the suffix
    }

    [Fact]
    public void ToStringNamesTheAddressAndEndpointButNoCredential()
    {
        using var store = new S3Store("bucket", "a/b", s3.Options(o => o.SessionToken = "session-token-value"));
        var text = store.ToString();
        Assert.StartsWith($"S3Store(s3://bucket/a/b at {s3.Endpoint}", text);
        Assert.DoesNotContain(S3rverFixture.SecretKey, text);
        Assert.DoesNotContain("session-token-value", text);
    }
}
