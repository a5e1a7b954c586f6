namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// One named dataset: where it is and how its store is opened. Bound from <c>Zarr:Datasets:&lt;name&gt;</c>
/// (e.g. <c>Zarr:Datasets:sst:Url</c>) or set by <see cref="IZarrCloudBuilder.AddDataset"/>.
/// </summary>
public sealed class ZarrDatasetOptions
{
    /// <summary>
    /// The dataset's URL: a local path, <c>file://</c>, <c>memory://</c>, <c>http(s)://</c>, <c>s3://</c>, <c>gs://</c>,
    /// <c>az://</c> (the cloud schemes need their package referenced), or any scheme registered with
    /// <see cref="Storage.StoreResolver.Register"/>. Required.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>Use no credentials (public data). Default false.</summary>
    public bool Anonymous { get; set; }

    /// <summary>A custom endpoint (S3-compatible servers, emulators); an http or https URL, or a host (https).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The region, where the backend has regions.</summary>
    public string? Region { get; set; }

    /// <summary>Refuse writes. Default true: datasets served by an application are usually read.</summary>
    public bool ReadOnly { get; set; } = true;
}
