using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Samples.SliceService.Datasets;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>The API through the real Kestrel host: every format's values against a direct read of the array, the time
/// series' nearest point and CF decoding, and the error answers.</summary>
public sealed class EndpointTests(DemoData demo)
{
    private HttpClient Client => demo.Host.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Slice = "api/datasets/demo/arrays/analysed_sst/slice";

    private async Task<short[]> DirectAsync(string sel) => (await demo.Sst.ReadAsync<short>(Selection.Parse(sel, 3), Ct)).Data;

    [Theory]
    [InlineData("3,10:70,100:220", "60,120")]
    [InlineData("0:7,::3,5", "7,60")]
    [InlineData("-1,179,359", "")]
    public async Task Bin_IsTheRawLittleEndianValuesWithShapeAndDtypeHeaders(string sel, string shape)
    {
        using var response = await Client.GetAsync($"{Slice}?format=bin&sel={sel}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(shape, response.Headers.GetValues("X-Zarr-Shape").Single());
        Assert.Equal("<i2", response.Headers.GetValues("X-Zarr-Dtype").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        var values = Enumerable.Range(0, bytes.Length / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i))).ToArray();
        Assert.Equal(await DirectAsync(sel), values);
    }

    [Fact]
    public async Task Bin_WholeVariable_StreamsManyPartsInOrder()
    {
        // 20 x 180 x 360 = 1,296,000 cells: five parts of the service's 256 Ki-cell blocks.
        var bytes = await Client.GetByteArrayAsync($"{Slice}?format=bin", Ct);
        var expected = await DirectAsync(":");
        Assert.Equal(expected.Length * 2, bytes.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i)) != expected[i]) Assert.Fail($"element {i} differs");
    }

    [Fact]
    public async Task Npy_HasNumPysHeaderAndTheValues()
    {
        const string sel = "2:9,::3,5";
        var bytes = await Client.GetByteArrayAsync($"{Slice}?format=npy&sel={sel}", Ct);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<i2'", header);
        Assert.Contains("'fortran_order': False", header);
        Assert.Contains("'shape': (7, 60)", header);
        Assert.EndsWith("\n", header);
        var data = bytes.AsSpan(10 + headerLength);
        var values = Enumerable.Range(0, data.Length / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(10 + headerLength + 2 * i))).ToArray();
        Assert.Equal(await DirectAsync(sel), values);
    }

    [Theory]
    [InlineData("4,80:95,10:30", 15, 20)]
    [InlineData("0:3,100:102,0:4", 6, 4)] // 3-D: one line per run of the last axis
    public async Task Csv_HasOneLinePerRowOfTheLastAxis(string sel, int lines, int columns)
    {
        var text = await Client.GetStringAsync($"{Slice}?format=csv&sel={sel}", Ct);
        var rows = text.TrimEnd('\n').Split('\n');
        Assert.Equal(lines, rows.Length);
        Assert.All(rows, r => Assert.Equal(columns, r.Split(',').Length));
        var values = rows.SelectMany(r => r.Split(',')).Select(v => short.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(await DirectAsync(sel), values);
    }

    [Fact]
    public async Task Json_IsNestedArraysWithShapeAndDtype()
    {
        const string sel = "1:3,88:92,178:183";
        using var doc = JsonDocument.Parse(await Client.GetStringAsync($"{Slice}?format=json&sel={sel}", Ct));
        Assert.Equal([2, 4, 5], doc.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("<i2", doc.RootElement.GetProperty("dtype").GetString());
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.All(data.EnumerateArray(), plane => Assert.Equal(4, plane.GetArrayLength()));
        var values = data.EnumerateArray().SelectMany(p => p.EnumerateArray()).SelectMany(r => r.EnumerateArray()).Select(v => v.GetInt16()).ToArray();
        Assert.Equal(await DirectAsync(sel), values);
    }

    [Fact]
    public async Task Json_OfACoordinate_IsItsFloatValues()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("api/datasets/demo/arrays/lat/slice?sel=::45", Ct));
        var direct = (await (await Zarr.Cloud.Arrays.ZarrArray.OpenAsync(Path.Combine(demo.Path, "lat"), cancellationToken: Ct)).ReadAsync<float>(Selection.Parse("::45"), Ct)).Data;
        Assert.Equal(direct, doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task TimeSeries_TakesTheNearestGridPointAndDecodesCf()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("api/datasets/demo/timeseries?lat=10.2&lon=-150.4", Ct));
        var root = doc.RootElement;
        Assert.Equal("analysed_sst", root.GetProperty("variable").GetString());
        Assert.Equal("kelvin", root.GetProperty("units").GetString());
        Assert.Equal(10.5, root.GetProperty("latitude").GetDouble()); // grid points at k + 0.5: 10.5 is 0.3 away, 9.5 is 0.7
        Assert.Equal(-150.5, root.GetProperty("longitude").GetDouble());
        Assert.Equal(100, root.GetProperty("latIndex").GetInt32());
        Assert.Equal(29, root.GetProperty("lonIndex").GetInt32());
        var raw = await DirectAsync(":,100,29");
        var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(DemoData.Days, values.Length);
        for (int i = 0; i < raw.Length; i++) Assert.Equal(raw[i] * 0.001 + 298.15, values[i], 1e-9);
        // Written as the packing says: at most 3 decimals (scale_factor 0.001), no binary-rounding tails such as 299.89799999999997.
        foreach (var v in root.GetProperty("values").EnumerateArray())
        {
            var text = v.GetRawText();
            int dot = text.IndexOf('.', StringComparison.Ordinal);
            Assert.True(dot < 0 || text.Length - dot - 1 <= 3, text);
        }
        var times = root.GetProperty("times").EnumerateArray().Select(t => t.GetString()).ToArray();
        Assert.Equal(Enumerable.Range(0, DemoData.Days).Select(d => new DateTime(2020, 1, 1).AddDays(d).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture)), times);
    }

    [Fact]
    public async Task TimeSeries_OverLand_IsNullWhereTheRawValueIsTheFillValue()
    {
        var (lat, lon) = (50.5, 90.5);
        Assert.True(DemoDataset.IsLand(lat, lon));
        Assert.All(await DirectAsync(":,140,270"), v => Assert.Equal(short.MinValue, v));
        using var doc = JsonDocument.Parse(await Client.GetStringAsync($"api/datasets/demo/timeseries?lat={lat}&lon={lon}", Ct));
        var values = doc.RootElement.GetProperty("values").EnumerateArray().ToArray();
        Assert.Equal(DemoData.Days, values.Length);
        Assert.All(values, v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    [Fact]
    public async Task TimeSeries_FromTo_SelectsDays()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("api/datasets/demo/timeseries?lat=0&lon=-150&from=2020-01-05&to=2020-01-07T00:00:00Z", Ct));
        Assert.Equal(["2020-01-05T00:00:00Z", "2020-01-06T00:00:00Z", "2020-01-07T00:00:00Z"], doc.RootElement.GetProperty("times").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, doc.RootElement.GetProperty("values").GetArrayLength());
    }

    [Theory]
    [InlineData(179.9, 179.5)]
    [InlineData(-179.9, -179.5)]
    [InlineData(359.2, -0.5)] // 0..360 longitudes meet the grid's -180..180
    public async Task TimeSeries_Longitude_WrapsAroundTheDateLine(double lon, double expected)
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync($"api/datasets/demo/timeseries?lat=0&lon={lon.ToString(CultureInfo.InvariantCulture)}", Ct));
        Assert.Equal(expected, doc.RootElement.GetProperty("longitude").GetDouble());
    }

    [Theory]
    [InlineData($"{Slice}?sel=0,abc", 400, "'abc' is not an integer or a slice")]
    [InlineData($"{Slice}?sel=400", 400, "400")]
    [InlineData($"{Slice}?sel=0,0,0,0", 400, "4 axes")]
    [InlineData($"{Slice}?sel=::-1", 400, "step -1 must be positive")]
    [InlineData($"{Slice}?format=xml", 400, "format 'xml' is not one of json, csv, npy, bin")]
    [InlineData($"{Slice}?format=1", 400, "format '1'")]
    [InlineData("api/datasets/demo/timeseries?lat=91&lon=0", 400, "lat '91'")]
    [InlineData("api/datasets/demo/timeseries?lon=0", 400, "lat ''")]
    [InlineData("api/datasets/demo/timeseries?lat=0&lon=abc", 400, "lon 'abc'")]
    [InlineData("api/datasets/demo/timeseries?lat=0&lon=0&from=yesterday", 400, "from 'yesterday'")]
    [InlineData("api/datasets/nope", 404, "No dataset named 'nope'")]
    [InlineData("api/datasets/nope/arrays/analysed_sst/slice", 404, "No dataset named 'nope'")]
    [InlineData("api/datasets/demo/arrays/nope/metadata", 404, "has no array 'nope'")]
    [InlineData("api/datasets/demo/arrays/nope/slice?sel=0", 404, "has no array 'nope'")]
    [InlineData("api/datasets/demo/timeseries?lat=0&lon=0&var=nope", 404, "has no array 'nope'")]
    public async Task BadRequestsAndUnknownNames_AreProblemsWithTheReason(string url, int status, string reason)
    {
        using var response = await Client.GetAsync(url, Ct);
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("https%3A%2F%2Fexample.com%2Fdata.zarr")]
    [InlineData("s3%3A%2F%2Fmur-sst%2Fzarr-v1")]
    [InlineData("file%3A%2F%2F%2Fetc")]
    [InlineData("..%2F..%2F..%2Fetc")]
    [InlineData("%2Fetc")]
    public async Task DatasetNamesThatLookLikeUrlsOrPaths_Are404(string name)
    {
        foreach (var url in new[] { $"api/datasets/{name}", $"api/datasets/{name}/arrays/analysed_sst/slice?sel=0,0,0", $"api/datasets/{name}/timeseries?lat=0&lon=0" })
        {
            using var response = await Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task TheDemoFolderItself_IsNotADatasetName()
    {
        using var response = await Client.GetAsync($"api/datasets/{Uri.EscapeDataString(demo.Path)}/arrays/analysed_sst/slice?sel=0,0,0", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("..%2Fdemo.zarr%2Fanalysed_sst")]
    [InlineData("..")]
    [InlineData("lat%2F..%2F..%2Fdemo.zarr%2Flat")]
    [InlineData("%2Fetc%2Fpasswd")]
    public async Task ArrayPathsLeavingTheDataset_Are404(string array)
    {
        using var response = await Client.GetAsync($"api/datasets/demo/arrays/{array}/slice?sel=0", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TooManyCells_Is413NamingTheLimitAndTheCount()
    {
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, ["SliceService:MaxCellsPerRequest=100"]);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"{Slice}?sel=0,0:10,0:10", Ct)).StatusCode);
        using var response = await host.Client.GetAsync($"{Slice}?sel=0,0:10,0:11", Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("has 110 cells", body);
        Assert.Contains("at most 100 per request", body);
        using var series = await host.Client.GetAsync("api/datasets/demo/timeseries?lat=0&lon=0", Ct);
        Assert.Equal(HttpStatusCode.OK, series.StatusCode); // 20 days
    }

    [Fact]
    public async Task TooManyChunksToRead_Is413NamingTheLimit()
    {
        // One chunk is 5 x 60 x 60 = 18,000 cells.
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, ["SliceService:MaxChunkCellsPerRequest=18000"]);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"{Slice}?format=bin&sel=0:5,0:60,0:60", Ct)).StatusCode);
        using var strided = await host.Client.GetAsync($"{Slice}?format=bin&sel=0,::60,::60", Ct); // 18 cells in 18 chunks
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, strided.StatusCode);
        var body = await strided.Content.ReadAsStringAsync(Ct);
        Assert.Contains("touches 18 chunks of [5, 60, 60], 324000 cells to read", body);
        Assert.Contains("at most 18000 per request (SliceService:MaxChunkCellsPerRequest)", body);
        // A 20-day series crosses 4 chunks in time; five days of it, one.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.GetAsync("api/datasets/demo/timeseries?lat=0&lon=-150", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/datasets/demo/timeseries?lat=0&lon=-150&from=2020-01-06&to=2020-01-10", Ct)).StatusCode);
    }

    [Fact]
    public async Task Datasets_ListAndDescribe()
    {
        Assert.Equal(["demo"], JsonSerializer.Deserialize<string[]>(await Client.GetStringAsync("api/datasets", Ct))!);
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("api/datasets/demo", Ct));
        var arrays = doc.RootElement.GetProperty("arrays").EnumerateArray().ToDictionary(a => a.GetProperty("path").GetString()!);
        Assert.Equal(["analysed_sst", "lat", "lon", "time"], arrays.Keys.Order());
        var sst = arrays["analysed_sst"];
        Assert.Equal([DemoData.Days, 180, 360], sst.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["time", "lat", "lon"], sst.GetProperty("dimensions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0.001, sst.GetProperty("cf").GetProperty("scaleFactor").GetDouble());
        Assert.Equal(-32768, sst.GetProperty("cf").GetProperty("fillValues")[0].GetDouble());
        using var meta = JsonDocument.Parse(await Client.GetStringAsync("api/datasets/demo/arrays/time/metadata", Ct));
        Assert.Equal("days since 1970-01-01 00:00:00 UTC", meta.RootElement.GetProperty("attributes").GetProperty("units").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("openapi/v1.json", Ct));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/datasets/{dataset}/arrays/{array}/slice", paths);
        Assert.Contains("/api/datasets/{dataset}/timeseries", paths);
        Assert.Contains("/api/datasets/{dataset}/arrays/{array}/metadata", paths);
    }

    [Theory]
    [InlineData("health/live")]
    [InlineData("health/ready")]
    public async Task Health_LiveAndReadyAnswerHealthy(string path)
    {
        using var response = await Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Health_ReadyIsUnhealthyWhenADatasetCannotBeOpened_LiveStaysHealthy()
    {
        await using var host = await SliceServiceHost.StartAsync(demo.Path, DemoData.Days, [$"Zarr:Datasets:gone:Url={Path.Combine(demo.Path, "no-such-folder")}"]);
        using var ready = await host.Client.GetAsync("health/ready", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync(Ct));
        // Liveness checks no dataset: a replica whose store is down is taken out of the Service, not restarted.
        using var live = await host.Client.GetAsync("health/live", Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ThePage_IsServedAtTheRoot()
    {
        var html = await Client.GetStringAsync("/", Ct);
        Assert.Contains("<canvas id=\"map\"", html);
        Assert.Contains("function drawMap", await Client.GetStringAsync("app.js", Ct));
    }
}
