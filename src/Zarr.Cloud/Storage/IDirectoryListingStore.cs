namespace Zarr.Cloud.Storage;

/// <summary>
/// Optional for stores that can list one level of a hierarchy without walking everything below it
/// (a file system folder, an S3 listing with a delimiter). <see cref="StoreExtensions.ListDirAsync"/> uses it
/// when a store has it, and falls back to a full <see cref="IAsyncStore.ListAsync"/> otherwise.
/// </summary>
public interface IDirectoryListingStore
{
    /// <summary>The keys directly under <paramref name="prefix"/> and the names of its sub-folders, sorted.</summary>
    /// <param name="prefix">A folder path ("" for the root), without a trailing '/'.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default);
}
