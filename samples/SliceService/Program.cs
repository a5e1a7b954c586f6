// The slice service: serves Zarr datasets named in configuration as slices (json, csv, npy, raw binary), point time
// series and metadata, with a map page at /. With no configuration it writes and serves a MUR-like demo dataset.
//   dotnet run --project samples/SliceService        then open the URL it prints (http://localhost:5000)
using Zarr.Cloud.Samples.SliceService;

var app = await SliceServiceApp.BuildAsync(args);
await app.RunAsync();
