using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>
/// A DI user who references Zarr.Cloud.S3 (this project does, and never calls into it) gets S3 stores for s3://
/// datasets: StoreResolver loads the package and its module initializer registers the scheme.
/// </summary>
public sealed class BackendPackageTests
{
    [Fact]
    public void An_s3_dataset_resolves_to_the_S3_store_with_the_dataset_options()
    {
        using var sp = TestServices.Build(s => s.AddZarrCloud().AddDataset("sst", "s3://mur-sst/zarr-v1", o => { o.Anonymous = true; o.Region = "us-west-2"; }));
        sp.GetRequiredService<IStartupValidator>().Validate();
        var datasets = (ZarrDatasets)sp.GetRequiredService<IZarrDatasets>();
        var options = datasets.OpenOptionsFor(sp.GetRequiredService<IOptions<ZarrCloudOptions>>().Value.Datasets["sst"]);
        var location = StoreResolver.Resolve("s3://mur-sst/zarr-v1", options.Store);
        var backend = location.Store;
        while (backend is DelegatingStore d) backend = d.Inner; // below whatever middleware the stack adds
        Assert.Equal("S3Store", backend.GetType().Name);
        Assert.Equal("Zarr.Cloud.S3", backend.GetType().Assembly.GetName().Name);
        Assert.Contains("s3", StoreResolver.Schemes, StringComparer.OrdinalIgnoreCase);
    }
}
