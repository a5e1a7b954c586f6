using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests;
using Zarr.Cloud.Tests.Emulators;
using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.S3.Tests;

/// <summary>
/// The public MUR SST dataset (s3://mur-sst/zarr-v1, us-west-2, read anonymously) cannot be reached from here, so its
/// layout is reproduced on s3rver: a consolidated Zarr v2 group, analysed_sst as int16 with scale_factor/add_offset and
/// fill -32768, chunks of 5 time steps, lat/lon/time coordinates, some chunks never written; read anonymously, with S3's
/// behaviour for a public bucket that may not be listed: a 403 (not 404) for every absent key, and listing refused.
/// </summary>
public sealed class MurSstLayoutTests(S3rverFixture s3)
{
    private static CancellationToken Ct => TestData.Ct;

    private const int Nt = 23, Ny = 24, Nx = 36;
    private const double ScaleFactor = 0.001, AddOffset = 298.15;
    private const short Fill = -32768;

    private static float Lat(int y) => -89.5f + y * (179f / (Ny - 1));
    private static float Lon(int x) => -179.5f + x * (359f / (Nx - 1));
    private static bool Land(int y, int x) => Math.Sin(x * 0.4) * Math.Cos(y * 0.3) > 0.55;
    private static bool NeverWritten(int t) => t is >= 10 and < 15; // one whole time chunk: a gap in the record

    /// <summary>The stored (packed) value: kelvin to int16 as the dataset packs it.</summary>
    private static short Packed(int t, int y, int x)
    {
        if (Land(y, x) || NeverWritten(t)) return Fill;
        double kelvin = 271.35 + 30 * Math.Pow(Math.Cos(Lat(y) * Math.PI / 180), 2) + 0.8 * Math.Sin(t / 3.0 + x * 0.2);
        return checked((short)Math.Round((kelvin - AddOffset) / ScaleFactor));
    }

    private static double Unpacked(short v, double scale, double offset) => v == Fill ? double.NaN : v * scale + offset;

    private async Task<string> WriteDatasetAsync()
    {
        var bucket = await s3.CreateBucketAsync("mur-sst");
        using var store = new S3Store(bucket, "zarr-v1", s3.Options());
        var root = await ZarrGroup.CreateAsync(store, "", 2, new JsonObject
        {
            ["title"] = "Daily MUR SST, Final product (layout reproduction)",
            ["Conventions"] = "CF-1.7",
        }, cancellationToken: Ct);
        var sst = await root.CreateArrayAsync("analysed_sst", new ZarrArrayDefinition
        {
            Shape = [Nt, Ny, Nx], ChunkShape = [5, 12, 18], DataType = ZarrDataType.Int16, FillValue = Fill, ZarrFormat = 2, Compressor = new ZlibCodec(1),
            Attributes = new JsonObject
            {
                ["_ARRAY_DIMENSIONS"] = new JsonArray("time", "lat", "lon"),
                ["long_name"] = "analysed sea surface temperature",
                ["units"] = "kelvin",
                ["scale_factor"] = ScaleFactor,
                ["add_offset"] = AddOffset,
                ["valid_min"] = -32767,
                ["valid_max"] = 32767,
            },
        }, Ct);
        var data = new short[Nt * Ny * Nx];
        for (int t = 0; t < Nt; t++) for (int y = 0; y < Ny; y++) for (int x = 0; x < Nx; x++) data[(t * Ny + y) * Nx + x] = Packed(t, y, x);
        await sst.WriteAsync(new NDArray<short>(data, Nt, Ny, Nx), Ct);
        await WriteCoordinateAsync(root, "lat", Enumerable.Range(0, Ny).Select(Lat).ToArray(), "degrees_north");
        await WriteCoordinateAsync(root, "lon", Enumerable.Range(0, Nx).Select(Lon).ToArray(), "degrees_east");
        var time = await root.CreateArrayAsync("time", new ZarrArrayDefinition
        {
            Shape = [Nt], ChunkShape = [Nt], DataType = ZarrDataType.Int64, ZarrFormat = 2,
            Attributes = new JsonObject { ["_ARRAY_DIMENSIONS"] = new JsonArray("time"), ["units"] = "seconds since 1981-01-01 00:00:00 UTC", ["calendar"] = "gregorian" },
        }, Ct);
        const long june2002 = 676_512_000; // 2002-06-01, the first day of MUR
        await time.WriteAsync(new NDArray<long>(Enumerable.Range(0, Nt).Select(d => june2002 + d * 86_400L).ToArray(), Nt), Ct);
        await root.ConsolidateMetadataAsync(Ct);
        return bucket;
    }

    private static async Task WriteCoordinateAsync(ZarrGroup root, string name, float[] values, string units)
    {
        var a = await root.CreateArrayAsync(name, new ZarrArrayDefinition
        {
            Shape = [values.Length], ChunkShape = [values.Length], DataType = ZarrDataType.Float32, ZarrFormat = 2,
            Attributes = new JsonObject { ["_ARRAY_DIMENSIONS"] = new JsonArray(name), ["units"] = units },
        }, Ct);
        await a.WriteAsync(new NDArray<float>(values, values.Length), Ct);
    }

    /// <summary>What S3 answers anonymous callers of a public bucket without s3:ListBucket: 403 for absent keys and for listings.</summary>
    private static InterceptingHandler PublicBucketWithoutListing() => PublicBucketWithoutListing(new StrongBox<int>());

    private static InterceptingHandler PublicBucketWithoutListing(StrongBox<int> forbidden)
    {
        var handler = InterceptingHandler.OverNetwork();
        handler.Rewrite = (request, response) =>
        {
            if (request.Headers.Contains("Authorization")) return response;
            bool listing = request.RequestUri!.Query.Contains("list-type", StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.NotFound && !listing) return response;
            response.Dispose();
            Interlocked.Increment(ref forbidden.Value);
            return S3Responses.Error(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied");
        };
        return handler;
    }

    [Fact]
    public async Task ATimeSeriesAtAPointReadsAnonymouslyWithForbiddenMissingChunksAsFill()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await WriteDatasetAsync();
        var forbidden = new StrongBox<int>();
        var handler = PublicBucketWithoutListing(forbidden);
        var options = new ZarrOpenOptions { Store = s3.AnonymousOptions().Through(handler) };

        var group = await ZarrGroup.OpenAsync($"s3://{bucket}/zarr-v1", options, Ct);
        Assert.True(group.IsConsolidated);
        Assert.Equal(2, group.ZarrFormat);
        Assert.Equal(["analysed_sst", "lat", "lon", "time"], (await group.ListChildrenAsync(Ct)).Order(StringComparer.Ordinal));
        var sst = await group.OpenArrayAsync("analysed_sst", Ct);
        Assert.Equal(ZarrDataType.Int16, sst.DataType);
        Assert.Equal([5, 12, 18], sst.ChunkShape);
        double scale = sst.Attributes["scale_factor"]!.GetValue<double>(), offset = sst.Attributes["add_offset"]!.GetValue<double>();
        var lat = (await (await group.OpenArrayAsync("lat", Ct)).ReadAsync<float>(Selection.All, Ct)).Data;
        var lon = (await (await group.OpenArrayAsync("lon", Ct)).ReadAsync<float>(Selection.All, Ct)).Data;

        // The point nearest 20.5N, 60.5W (an ocean point in this synthetic field).
        int y = Array.FindIndex(lat, v => v >= 20.5f), x = Array.FindIndex(lon, v => v >= -60.5f);
        Assert.False(Land(y, x));
        var chunkRequestsBefore = handler.Requests.Count;
        var forbiddenBefore = forbidden.Value;
        var series = await sst.ReadAsync<short>(.., y, x);
        Assert.Equal([Nt], series.Shape);
        for (int t = 0; t < Nt; t++)
        {
            double expected = Unpacked(Packed(t, y, x), ScaleFactor, AddOffset), got = Unpacked(series.Data[t], scale, offset);
            if (NeverWritten(t)) Assert.True(double.IsNaN(got), $"t={t}: a chunk never written reads as the fill value");
            else Assert.Equal(expected, got, 9);
        }
        // One request per time chunk (5), each answered; the absent one with 403.
        var chunkRequests = handler.Requests.Skip(chunkRequestsBefore).ToList();
        Assert.Equal(5, chunkRequests.Count);
        Assert.Equal(1, forbidden.Value - forbiddenBefore);
        Assert.All(handler.Requests, r => Assert.False(r.IsSigned));

        // A strided map on one day, land masked.
        var map = await sst.ReadAsync<short>(7, new Slice(Step: 3), new Slice(Step: 5));
        for (int i = 0; i < map.Shape[0]; i++)
            for (int j = 0; j < map.Shape[1]; j++)
                Assert.Equal(Packed(7, i * 3, j * 5), map[i, j]);

        // The bucket may not be listed, and the group was opened without listing it.
        var store = (S3Store)group.Store.GetBackend();
        var e = await Assert.ThrowsAsync<StoreException>(async () => { await foreach (var _ in store.ListAsync("", Ct)) { } });
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task WithoutForbiddenAsMissingTheFirstAbsentKeyIsAnError()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        var bucket = await WriteDatasetAsync();
        var options = new ZarrOpenOptions { Store = s3.AnonymousOptions(o => o.TreatForbiddenAsMissing = false).Through(PublicBucketWithoutListing()) };
        // Opening looks for v3 metadata (zarr.json) first: absent, so 403, so an error when 403 is not read as missing.
        var e = await Assert.ThrowsAsync<StoreException>(() => ZarrGroup.OpenAsync($"s3://{bucket}/zarr-v1", options, Ct));
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task TheZarrPythonSampleReadsTheSameFromS3AsFromDisk()
    {
        s3.RequireS3rver(S3rverFixture.AnonymousAccess);
        // samples/data/sst.zarr was written by zarr-python 2.13 (samples/make_sample.py); uploaded as files are.
        var folder = Path.Combine(ServerProcess.RepoRoot, "samples", "data", "sst.zarr");
        if (!Directory.Exists(folder)) Requirements.Missing("samples/data/sst.zarr");
        var bucket = await s3.CreateBucketAsync("sample");
        using (var upload = new S3Store(bucket, "sst.zarr", s3.Options()))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                await upload.SetAsync(Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'), await File.ReadAllBytesAsync(file, Ct), Ct);
        }
        var fromS3 = await ZarrGroup.OpenAsync($"s3://{bucket}/sst.zarr", new ZarrOpenOptions { Store = s3.AnonymousOptions().Through(PublicBucketWithoutListing()) }, Ct);
        var fromDisk = await ZarrGroup.OpenAsync(folder, cancellationToken: Ct);
        Assert.Equal(fromDisk.Attributes.ToJsonString(), fromS3.Attributes.ToJsonString());
        var a = await (await fromS3.OpenArrayAsync("analysed_sst", Ct)).ReadAsync<float>(Selection.All, Ct);
        var b = await (await fromDisk.OpenArrayAsync("analysed_sst", Ct)).ReadAsync<float>(Selection.All, Ct);
        Assert.Equal(b.Shape, a.Shape);
        Assert.Equal(b.Data, a.Data);
    }
}
