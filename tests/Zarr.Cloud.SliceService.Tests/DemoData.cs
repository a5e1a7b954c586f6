using Zarr.Cloud.Arrays;
using Zarr.Cloud.Samples.SliceService.Datasets;
using Zarr.Cloud.Tests.Support;

[assembly: AssemblyFixture(typeof(Zarr.Cloud.SliceService.Tests.DemoData))]

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>The demo dataset written once for the test run (20 days) in a temporary folder, and a service serving it.</summary>
public sealed class DemoData : IAsyncLifetime
{
    public const int Days = 20;

    private readonly TempDirectory _folder = new();

    /// <summary>The dataset's folder.</summary>
    public string Path => System.IO.Path.Combine(_folder.Path, "demo.zarr");

    /// <summary>A service with the default limits.</summary>
    public SliceServiceHost Host { get; private set; } = null!;

    /// <summary>The data variable, opened directly (not through the service) to compare with.</summary>
    public ZarrArray Sst { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await SliceServiceHost.StartAsync(Path, Days);
        Sst = await ZarrArray.OpenAsync(System.IO.Path.Combine(Path, DemoDataset.Variable));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _folder.Dispose();
    }
}
