// Reads a time series at one point and a map at one time from a Zarr store (by default the sample
// shipped in samples/data/sst.zarr, written by zarr-python). Usage: dotnet run --project samples/ReadSst [URL]
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;

var url = args.Length > 0 ? args[0] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../data/sst.zarr"));
var group = await ZarrGroup.OpenAsync(url);
Console.WriteLine($"{url}: Zarr v{group.ZarrFormat} group, title: {group.Attributes["title"]}");

var sst = await group.OpenArrayAsync("analysed_sst");
var lat = await (await group.OpenArrayAsync("lat")).ReadAsync<float>(Selection.All);
var lon = await (await group.OpenArrayAsync("lon")).ReadAsync<float>(Selection.All);
Console.WriteLine($"analysed_sst: shape [{string.Join(", ", sst.Shape)}], {sst.DataType}, chunks [{string.Join(", ", sst.ChunkShape)}]");

// A time series at one point: one element from each time step's chunk.
int y = 30, x = 20;
var series = await sst.ReadAsync<float>(.., y, x);
Console.WriteLine($"time series at lat {lat[y]:F1}, lon {lon[x]:F1}: {string.Join(", ", series.Data.Select(v => $"{v:F2}"))} K");

// A map at the last time step, every 10th point.
var map = await sst.ReadAsync<float>(^1, new Slice(Step: 10), new Slice(Step: 10));
var ocean = map.Data.Where(v => !float.IsNaN(v)).ToArray();
Console.WriteLine($"last map, every 10th point: shape [{string.Join(", ", map.Shape)}], {ocean.Length} ocean points, mean {ocean.Average():F2} K");
