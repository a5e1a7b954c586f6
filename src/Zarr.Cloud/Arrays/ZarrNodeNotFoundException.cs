namespace Zarr.Cloud.Arrays;

/// <summary>No array or group exists at a path: none of zarr.json, .zarray or .zgroup is there.</summary>
public class ZarrNodeNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The node path.</param>
    /// <param name="store">A description of the store.</param>
    /// <param name="expected">"array", "group" or "node".</param>
    public ZarrNodeNotFoundException(string path, string store, string expected = "node")
        : base($"No Zarr {expected} at '{(path.Length == 0 ? "/" : path)}' in {store}: found none of zarr.json, .zarray, .zgroup{(expected == "node" ? "" : $" for a {expected}")}.", path)
    {
        Path = path;
    }

    /// <summary>The node path.</summary>
    public string Path { get; }
}
