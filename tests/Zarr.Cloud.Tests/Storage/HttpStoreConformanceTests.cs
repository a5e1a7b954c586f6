using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Tests.Storage;

/// <summary>
/// The conformance suite over a real nginx with WebDAV PUT and DELETE, each test in a fresh folder. nginx cannot
/// list, so the listing tests are skipped by capability and the other tests' listings look at the folder nginx writes.
/// </summary>
public abstract class NginxStoreConformanceTests(NginxFixture nginx, string location) : StoreConformanceTests
{
    private readonly string _folder = Guid.NewGuid().ToString("N");

    protected RecordingHandler Recorder { get; } = new();

    protected NginxFixture Nginx => nginx;

    protected override ValueTask<IAsyncStore> CreateStoreAsync()
    {
        nginx.Require();
        var client = new HttpClient(Recorder) { Timeout = TimeSpan.FromSeconds(30) };
        return ValueTask.FromResult<IAsyncStore>(new HttpStore(client, nginx.Url($"{location}{_folder}/"), new HttpStoreOptions { AllowWrites = true }));
    }

    /// <summary>What nginx stored, read from its folder.</summary>
    protected override async Task<List<string>> ListAsync(string prefix = "")
    {
        var keys = new List<string>();
        await foreach (var k in new FileSystemStore(Path.Combine(nginx.Root, _folder), readOnly: true).ListAsync(prefix, Ct)) keys.Add(k);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    [Fact]
    public void CapabilitiesAreReadWriteAndRangesButNotList()
        => Assert.Equal(StoreCapabilities.Read | StoreCapabilities.Write | StoreCapabilities.ByteRanges | StoreCapabilities.SuffixRanges, Store.Capabilities);

    [Fact]
    public void ListThrowsNotSupportedNamingConsolidatedMetadata()
    {
        var e = Assert.Throws<NotSupportedException>(() => Store.ListAsync("", Ct));
        Assert.Contains("consolidated metadata", e.Message);
        Assert.Contains("HttpStore(", e.Message);
    }
}

public sealed class HttpStoreConformanceTests(NginxFixture nginx) : NginxStoreConformanceTests(nginx, ""), IClassFixture<NginxFixture>
{
    [Fact]
    public async Task RangesAreServedBy206WithTheRangeAsked()
    {
        await Store.SetAsync("v", TestData.Sequence(100), Ct);
        Recorder.Clear();
        using var v = await Store.GetAsync("v", ByteRange.Suffix(7), Ct);
        Assert.Equal(TestData.Sequence(100)[93..], v!.ToArray());
        Assert.Equal(100, v.TotalLength);
        Assert.False(string.IsNullOrEmpty(v.ETag));
        var x = Assert.Single(Recorder.Exchanges);
        Assert.Equal(("GET", "bytes=-7", 206), (x.Method, x.Range, x.Status));
    }
}

/// <summary>The whole suite again through a location where nginx ignores Range (max_ranges 0): every read is a 200 with the whole value, cut locally.</summary>
public sealed class HttpStoreIgnoringRangeConformanceTests(NginxFixture nginx) : NginxStoreConformanceTests(nginx, "norange/"), IClassFixture<NginxFixture>
{
    [Fact]
    public async Task TheServerAnswersEveryRangeWithTheWholeValue()
    {
        await Store.SetAsync("v", TestData.Sequence(100), Ct);
        Recorder.Clear();
        using var v = await Store.GetAsync("v", ByteRange.Bounded(10, 5), Ct);
        Assert.Equal(TestData.Sequence(100)[10..15], v!.ToArray());
        Assert.Equal(100, v.TotalLength);
        var x = Assert.Single(Recorder.Exchanges);
        Assert.Equal(("GET", "bytes=10-14", 200), (x.Method, x.Range, x.Status));
    }
}
