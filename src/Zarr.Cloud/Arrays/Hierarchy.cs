using System.Text.Json.Nodes;
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
        // Parent groups, from the root down, where none exists. An array cannot be a parent.
        var segments = path.Length == 0 ? [] : path.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            var parent = string.Join('/', segments.Take(i));
            var kind = await NodeKindAsync(store, parent, ct).ConfigureAwait(false);
            if (kind == "array") throw new IOException($"'{(parent.Length == 0 ? "/" : parent)}' in {store} is an array, and an array has no children: '{path}' cannot be created.");
            if (kind is not null) continue;
            await WriteGroupAsync(store, parent, new GroupMetadata(zarrFormat), ct).ConfigureAwait(false);
        }
    }

    /// <summary>"array", "group", another v3 node_type, or null when no node is at <paramref name="path"/>.</summary>
    private static async Task<string?> NodeKindAsync(IAsyncStore store, string path, CancellationToken ct)
    {
        if (await store.GetJsonAsync(StoreKeys.Join(path, "zarr.json"), ct).ConfigureAwait(false) is { } doc)
            return doc is JsonObject o && o["node_type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : "unknown";
        if (await store.ExistsAsync(StoreKeys.Join(path, ".zarray"), ct).ConfigureAwait(false)) return "array";
        if (await store.ExistsAsync(StoreKeys.Join(path, ".zgroup"), ct).ConfigureAwait(false)) return "group";
        return null;
    }

    /// <summary>
    /// Forgets what the caches hold of nodes at or below <paramref name="path"/>: a node created there (with
    /// overwrite) replaces whatever was before.
    /// </summary>
    public static void ForgetCached(IAsyncStore store, string path, ZarrOpenOptions options)
    {
        options.ChunkCache?.Invalidate(store, path);
        ShardIndexCache.ForStore(store).RemovePrefix(path.Length == 0 ? "" : path + "/");
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
