using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// The named datasets of <see cref="ZarrCloudOptions.Datasets"/>, opened on first use, once, and shared by every caller
/// (thread-safe). A failed open is not remembered: the next call tries again.
/// </summary>
public interface IZarrDatasets
{
    /// <summary>The configured dataset names.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>True when a dataset of that name is configured (names are case-insensitive).</summary>
    /// <param name="name">The dataset name.</param>
    bool Contains(string name);

    /// <summary>The root node (group or array) of the dataset <paramref name="name"/>, opened once and shared.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="cancellationToken">Stops this caller's wait; the shared open goes on for the others.</param>
    /// <exception cref="KeyNotFoundException">No dataset of that name is configured (the message names it and the known ones).</exception>
    ValueTask<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The array at <paramref name="arrayPath"/> inside the dataset <paramref name="name"/> ("" when the dataset itself is
    /// an array), opened once and shared.
    /// </summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="arrayPath">The array's path relative to the dataset root, e.g. "analysed_sst".</param>
    /// <param name="cancellationToken">Stops this caller's wait; the shared open goes on for the others.</param>
    /// <exception cref="KeyNotFoundException">No dataset of that name is configured.</exception>
    /// <exception cref="ZarrNodeNotFoundException">No array is at that path.</exception>
    /// <exception cref="ArgumentException">The dataset is an array and <paramref name="arrayPath"/> is not empty, or a group and it is empty.</exception>
    ValueTask<ZarrArray> OpenArrayAsync(string name, string arrayPath, CancellationToken cancellationToken = default);
}
