namespace Zarr.Cloud.Storage;

/// <summary>Options for opening a store from a URL.</summary>
public class StoreOpenOptions
{
    /// <summary>Refuse writes.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Use no credentials (public data).</summary>
    public bool Anonymous { get; set; }

    /// <summary>A custom endpoint for S3-compatible or emulated services.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The region, where the backend has regions.</summary>
    public string? Region { get; set; }
}
