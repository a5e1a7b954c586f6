using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>Rules for placing a new node in a hierarchy.</summary>
internal static class Hierarchy
{
    private static readonly string[] MetadataNames = ["zarr.json", ".zarray", ".zgroup"];

    public static async Task<bool> NodeExistsAsync(IAsyncStore store, string path, CancellationToken ct)
    {
        foreach (var name in MetadataNames)
            if (await store.ExistsAsync(StoreKeys.Join(path, name), ct).ConfigureAwait(false)) return true;
        return false;
    }

    /// <summary>Refuses (or, with overwrite, clears) an existing node, and creates missing parent groups.</summary>
    public static async Task PrepareNodeAsync(IAsyncStore store, string path, int zarrFormat, bool overwrite, CancellationToken ct)
    {
        if (await NodeExistsAsync(store, path, ct).ConfigureAwait(false))
        {
            if (!overwrite) throw new IOException($"A Zarr node already exists at '{(path.Length == 0 ? "/" : path)}' in {store}; set Overwrite to replace it.");
            if (path.Length == 0)
            {
                await store.DeletePrefixAsync("", ct).ConfigureAwait(false);
            }
            else
            {
                await store.DeletePrefixAsync(path + "/", ct).ConfigureAwait(false);
            }
        }
        // Parent groups, from the root down, where none exists.
        var segments = path.Length == 0 ? [] : path.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            var parent = string.Join('/', segments.Take(i));
            if (await NodeExistsAsync(store, parent, ct).ConfigureAwait(false)) continue;
            await WriteGroupAsync(store, parent, new GroupMetadata(zarrFormat), ct).ConfigureAwait(false);
        }
    }

    public static async Task WriteGroupAsync(IAsyncStore store, string path, GroupMetadata metadata, CancellationToken ct)
    {
        if (metadata.ZarrFormat == 3)
        {
            await store.SetJsonAsync(StoreKeys.Join(path, "zarr.json"), metadata.ToV3Json(), ct).ConfigureAwait(false);
            return;
        }
        await store.SetJsonAsync(StoreKeys.Join(path, ".zgroup"), GroupMetadata.V2GroupJson(), ct).ConfigureAwait(false);
        if (metadata.Attributes.Count > 0) await store.SetJsonAsync(StoreKeys.Join(path, ".zattrs"), metadata.Attributes, ct).ConfigureAwait(false);
    }
}
