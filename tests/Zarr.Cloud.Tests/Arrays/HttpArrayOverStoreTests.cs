using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>
/// The array-level tests over nginx: arrays written with PUT, read with Range GETs; listing (what was stored,
/// consolidating) looks at the folder nginx writes, and groups are opened through their consolidated metadata.
/// </summary>
public sealed class HttpArrayOverStoreTests(NginxFixture nginx) : ArrayOverStoreTests, IClassFixture<NginxFixture>
{
    private readonly string _folder = Guid.NewGuid().ToString("N");
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    protected override ValueTask<IAsyncStore> CreateStoreAsync()
    {
        nginx.Require();
        return ValueTask.FromResult<IAsyncStore>(new HttpStore(Client, nginx.Url($"{_folder}/"), new HttpStoreOptions { AllowWrites = true }));
    }

    protected override IAsyncStore ListingStore => new FileSystemStore(Path.Combine(nginx.Root, _folder), readOnly: false);

    /// <summary>The same array through a location where nginx ignores Range: partial reads cut locally, same values.</summary>
    [Fact]
    public async Task ArraysReadTheSameWhereTheServerIgnoresRange()
    {
        var data = Enumerable.Range(0, 50 * 37).Select(i => i * 0.25f).ToArray();
        var def = new ZarrArrayDefinition { Shape = [50, 37], ChunkShape = [8, 5], ShardShape = [32, 20], DataType = ZarrDataType.Float32 };
        var array = await ZarrArray.CreateAsync(Store, "s", def, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<float>(data, 50, 37), Ct);
        var ignoring = new HttpStore(Client, nginx.Url($"norange/{_folder}/"));
        var reopened = await ZarrArray.OpenAsync(ignoring, "s", cancellationToken: Ct);
        var part = await reopened.ReadAsync<float>(new Slice(3, 40, 3), new Slice(1, 30, 2));
        var expected = new List<float>();
        for (int i = 3; i < 40; i += 3) for (int j = 1; j < 30; j += 2) expected.Add(data[i * 37 + j]);
        Assert.Equal(expected, part.Data);
    }
}
