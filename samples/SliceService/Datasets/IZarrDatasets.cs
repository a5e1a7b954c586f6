using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Samples.SliceService.Datasets;

/// <summary>
/// The datasets named in configuration, opened by name. Mirrors <c>Zarr.Cloud.DependencyInjection.IZarrDatasets</c>
/// member for member, so the service switches to the DI package by changing one registration.
/// </summary>
public interface IZarrDatasets
{
    /// <summary>The configured dataset names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>True when <paramref name="name"/> is a configured dataset.</summary>
    bool Contains(string name);

    /// <summary>Opens the root node (usually a group) of a dataset.</summary>
    ValueTask<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Opens an array of a dataset by its path inside the dataset.</summary>
    ValueTask<ZarrArray> OpenArrayAsync(string name, string arrayPath, CancellationToken cancellationToken = default);
}
