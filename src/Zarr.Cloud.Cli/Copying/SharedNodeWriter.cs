using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>
/// Writes a node's metadata into a destination that other workers of a partitioned copy (<c>--partition</c>) write
/// at the same time. Each document is written whole (a file renamed into place, one PUT) and every worker derives the
/// same bytes, so concurrent writers leave identical documents whatever their order. A document already there is
/// compared instead of rewritten; a different one (a destination left by another copy) is an error, so workers never
/// mix two datasets.
/// </summary>
/// <remarks>
/// Every worker writes the metadata of arrays (it opens the array there to write its chunks). Groups, the parent
/// groups of the copied node and the consolidated metadata are written by the first worker only (the others check
/// what is already there), so that no late worker can overwrite the root document into which the first one has
/// consolidated the hierarchy (Zarr v3 keeps consolidated metadata inside the root's zarr.json).
/// </remarks>
internal static class SharedNodeWriter
{
    private static readonly string[] NodeDocuments = ["zarr.json", ".zarray", ".zgroup"];

    /// <summary>Creates (or finds, identical) the array at <paramref name="path"/> and opens it for writing chunks.</summary>
    /// <param name="store">The destination store.</param>
    /// <param name="path">The array path.</param>
    /// <param name="definition">The array.</param>
    /// <param name="options">Open options.</param>
    /// <param name="first">True for the first worker, which also writes missing parent groups.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="IOException">The destination holds different metadata there.</exception>
    public static async Task<ZarrArray> CreateArrayAsync(IAsyncStore store, string path, ZarrArrayDefinition definition, ZarrOpenOptions options, bool first, CancellationToken cancellationToken)
    {
        var expected = new MemoryStore();
        await ZarrArray.CreateAsync(expected, path, definition, options, cancellationToken).ConfigureAwait(false);
        await WriteOrMatchAsync(expected, store, path, writeNode: true, writeParents: first, cancellationToken).ConfigureAwait(false);
        return await ZarrArray.OpenAsync(store, path, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates (first worker) or checks (the others) the group at <paramref name="path"/>.</summary>
    /// <param name="store">The destination store.</param>
    /// <param name="path">The group path.</param>
    /// <param name="zarrFormat">2 or 3.</param>
    /// <param name="attributes">The group's attributes.</param>
    /// <param name="options">Open options.</param>
    /// <param name="first">True for the first worker, which writes groups; the others only compare them.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="IOException">The destination holds different metadata there.</exception>
    public static async Task CreateGroupAsync(IAsyncStore store, string path, int zarrFormat, JsonObject attributes, ZarrOpenOptions options, bool first, CancellationToken cancellationToken)
    {
        var expected = new MemoryStore();
        await ZarrGroup.CreateAsync(expected, path, zarrFormat, attributes, overwrite: false, options, cancellationToken).ConfigureAwait(false);
        await WriteOrMatchAsync(expected, store, path, writeNode: first, writeParents: first, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes each document of <paramref name="expected"/> that <paramref name="destination"/> lacks, and checks the others are equal.</summary>
    private static async Task WriteOrMatchAsync(MemoryStore expected, IAsyncStore destination, string path, bool writeNode, bool writeParents, CancellationToken ct)
    {
        var where = path.Length == 0 ? "/" : path;
        var keys = new List<string>();
        await foreach (var key in expected.ListAsync("", ct).ConfigureAwait(false)) keys.Add(key);
        // A node of the other Zarr format already there would be left beside ours: refuse it.
        foreach (var name in NodeDocuments)
        {
            var key = StoreKeys.Join(path, name);
            if (!keys.Contains(key) && await destination.ExistsAsync(key, ct).ConfigureAwait(false))
                throw new IOException($"DST already holds a different Zarr node at '{where}' ({key}): clear DST before starting the partitions of a copy");
        }
        foreach (var key in keys)
        {
            var mine = await expected.GetJsonAsync(key, ct).ConfigureAwait(false);
            bool parent = !key.StartsWith(path.Length == 0 ? "" : path + "/", StringComparison.Ordinal) || key[(path.Length == 0 ? 0 : path.Length + 1)..].Contains('/');
            var theirs = await destination.GetJsonAsync(key, ct).ConfigureAwait(false);
            if (theirs is null)
            {
                if (!(parent ? writeParents : writeNode)) continue;
                // A parent group made in the other format is left as it is.
                if (parent && await ParentExistsAsync(destination, key, ct).ConfigureAwait(false)) continue;
                await destination.SetJsonAsync(key, mine!, ct).ConfigureAwait(false);
            }
            else if (parent)
            {
                // A parent group of the copy (the user's, or one the first worker made): not ours to check.
            }
            else if (!JsonNode.DeepEquals(mine, WithoutConsolidated(theirs)))
            {
                throw new IOException($"DST already holds different metadata at '{key}' than this copy writes: clear DST before starting the partitions of a copy");
            }
        }
    }

    /// <summary>A v3 group document as the first worker wrote it before consolidating into it.</summary>
    private static JsonNode WithoutConsolidated(JsonNode document)
    {
        if (document is not JsonObject o || !o.ContainsKey("consolidated_metadata")) return document;
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("consolidated_metadata");
        return copy;
    }

    private static async Task<bool> ParentExistsAsync(IAsyncStore store, string key, CancellationToken ct)
    {
        var slash = key.LastIndexOf('/');
        var folder = slash < 0 ? "" : key[..slash];
        foreach (var name in NodeDocuments)
            if (await store.ExistsAsync(StoreKeys.Join(folder, name), ct).ConfigureAwait(false)) return true;
        return false;
    }
}
