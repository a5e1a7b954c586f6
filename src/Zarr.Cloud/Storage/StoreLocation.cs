namespace Zarr.Cloud.Storage;

/// <summary>A store and the path of a node inside it, as resolved from a URL.</summary>
/// <param name="Store">The store.</param>
/// <param name="Path">The node path inside the store ("" for the root).</param>
public sealed record StoreLocation(IAsyncStore Store, string Path);
