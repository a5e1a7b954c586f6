using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Arrays;
using Zarr.Cloud.Tests.Storage;

namespace Zarr.Cloud.S3.Tests;

/// <summary>The store contract, against s3rver: a fresh bucket per test, the store at the bucket root.</summary>
public sealed class S3StoreConformanceTests(S3rverFixture s3) : StoreConformanceTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync()
    {
        s3.Require();
        return new S3Store(await s3.CreateBucketAsync("conf"), "", s3.Options());
    }
}

/// <summary>The store contract with the store rooted at a key prefix: keys, ranges and listings stay inside it.</summary>
public sealed class S3PrefixedStoreConformanceTests(S3rverFixture s3) : StoreConformanceTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync()
    {
        s3.Require();
        var bucket = await s3.CreateBucketAsync("pfx");
        // A neighbour that shares the prefix's first characters must never show up in the store.
        await s3.Admin.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "data/root-sibling/x", ContentBody = "no", UseChunkEncoding = false });
        return new S3Store(bucket, "data/root", s3.Options());
    }
}

/// <summary>Arrays and groups (v2, v3, sharded, consolidated) over an S3 store on s3rver.</summary>
public sealed class S3ArrayOverStoreTests(S3rverFixture s3) : ArrayOverStoreTests
{
    protected override async ValueTask<IAsyncStore> CreateStoreAsync()
    {
        s3.Require();
        return new S3Store(await s3.CreateBucketAsync("arr"), "zarr/root", s3.Options());
    }
}
