using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Storage;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Gcs.Tests;

/// <summary>What is particular to Cloud Storage, against the emulator: paging, one-request suffix reads, URLs end to end.</summary>
public sealed class GcsStoreTests(GcsEmulatorFixture emulator) : CloudStoreTests
{
    private readonly RequestCounter _counter = new();

    protected override async ValueTask<IAsyncStore> CreateStoreAsync(string prefix = "", int? listPageSize = null)
        => await emulator.CreateStoreAsync(prefix, _counter, listPageSize);

    protected override int ListRequests => _counter.Listings;

    protected override IAsyncStore ReadOnlyView(IAsyncStore store)
    {
        var gcs = (GcsStore)store;
        var options = emulator.Options();
        options.ReadOnly = true;
        return GcsStore.FromUrl($"gs://{gcs.Bucket}/{gcs.Prefix}", options);
    }

    protected override IAsyncStore UnreachableStore(string secret)
        => GcsStore.FromUrl("gs://bucket/p", new GcsStoreOptions { ServiceUri = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}"), AccessToken = "ya29." + secret });

    protected override void Require() => emulator.Require();

    [Fact]
    public async Task ASuffixReadIsOneRequest()
    {
        var counter = new RequestCounter();
        var store = await emulator.CreateStoreAsync("arr", counter);
        var value = TestData.RandomBytes(1000);
        await store.SetAsync("c/0", value, Ct);
        counter.Reset();
        using (var tail = await store.GetAsync("c/0", ByteRange.Suffix(16), Ct))
        {
            Assert.Equal(value[^16..], tail!.ToArray());
            Assert.Equal(1000, tail.TotalLength);
            Assert.NotNull(tail.ETag);
        }
        Assert.Equal(["MEDIA bytes=-16"], counter.Requests);
    }

    [Fact]
    public async Task TheClientOfStoreOpenOptionsHttpClientFactorySendsTheRequests()
    {
        var gcs = await emulator.CreateStoreAsync("factory");
        await gcs.SetAsync("c/0", new byte[] { 1, 2, 3, 4 }, Ct);
        var counter = new RequestCounter();
        var calls = 0;
        // Plain StoreOpenOptions, as StoreResolver and the DI package pass them: the GCS store takes its client from the factory.
        var store = GcsStore.FromUrl($"gs://{gcs.Bucket}/factory", new StoreOpenOptions
        {
            Anonymous = true, Endpoint = emulator.Options().ServiceUri!.ToString(),
            HttpClientFactory = () => { calls++; return counter.CreateClient(); },
        });
        using var value = await store.GetAsync("c/0", ByteRange.Bounded(1, 2), Ct);
        Assert.Equal([2, 3], value!.ToArray());
        Assert.Equal(1, calls);
        Assert.Equal(["MEDIA bytes=1-2"], counter.Requests);
    }

    [Fact]
    public async Task LargeValuesRoundTrip()
    {
        var store = await emulator.CreateStoreAsync();
        var value = TestData.RandomBytes(20 * 1024 * 1024 + 3);
        await store.SetAsync("big", value, Ct);
        using (var v = await store.GetAsync("big", default, Ct)) Assert.True(value.AsSpan().SequenceEqual(v!.Span));
        using (var v = await store.GetAsync("big", ByteRange.Bounded(10_000_000, 5_000_000), Ct)) Assert.True(value.AsSpan(10_000_000, 5_000_000).SequenceEqual(v!.Span));
    }

    // ------------------------------------------------------------------ URLs end to end

    [Fact]
    public async Task ZarrGroupOpensAGsUrlWithTheEmulatorEndpointInTheOptions()
    {
        var (store, data) = await WriteDatasetAsync();
        var bucket = ((GcsStore)store).Bucket;
        var group = await ZarrGroup.OpenAsync($"gs://{bucket}/sst.zarr", new ZarrOpenOptions { Store = emulator.Options() }, Ct);
        Assert.IsType<GcsStore>(group.Store);
        await AssertDatasetAsync(group, data);
    }

    [Fact]
    public async Task ZarrGroupOpensGsAndHttpsUrlsWithStorageEmulatorHost()
    {
        var (store, data) = await WriteDatasetAsync();
        var bucket = ((GcsStore)store).Bucket;
        var before = Environment.GetEnvironmentVariable("STORAGE_EMULATOR_HOST");
        Environment.SetEnvironmentVariable("STORAGE_EMULATOR_HOST", emulator.EmulatorHost);
        try
        {
            // No options at all: the endpoint and the (absent) credential both come from STORAGE_EMULATOR_HOST.
            foreach (var url in new[] { $"gs://{bucket}/sst.zarr", $"https://storage.googleapis.com/{bucket}/sst.zarr" })
            {
                var group = await ZarrGroup.OpenAsync(url, cancellationToken: Ct);
                Assert.IsType<GcsStore>(group.Store);
                await AssertDatasetAsync(group, data);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("STORAGE_EMULATOR_HOST", before);
        }
    }
}
