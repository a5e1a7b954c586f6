using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>Finds and parses node metadata (v3 zarr.json wins over v2 documents); from consolidated metadata when the caller has it.</summary>
internal static class NodeLoader
{
    /// <summary>Consolidated metadata and the group path its keys are relative to.</summary>
    internal sealed record Consolidated(string RootPath, IReadOnlyDictionary<string, JsonNode> Documents)
    {
        public JsonNode? Get(string key)
        {
            var rel = RootPath.Length == 0 ? key : key.StartsWith(RootPath + "/", StringComparison.Ordinal) ? key[(RootPath.Length + 1)..] : null;
            return rel is not null && Documents.TryGetValue(rel, out var doc) ? doc : null;
        }
    }

    /// <summary>
    /// The node at <paramref name="path"/>. <paramref name="hierarchyFormat"/> is the format of the group it is opened
    /// from, when there is one: a hierarchy has one format, so that format's documents are asked for first and the
    /// other's only when they are missing. With no parent, both formats' documents are asked for in one round.
    /// </summary>
    public static async Task<ZarrNode> OpenAsync(IAsyncStore store, string path, ZarrOpenOptions options, Consolidated? consolidated, int? hierarchyFormat, CancellationToken ct)
    {
        options.Validate();
        var v3Key = StoreKeys.Join(path, "zarr.json");
        var zarrayKey = StoreKeys.Join(path, ".zarray");
        var zgroupKey = StoreKeys.Join(path, ".zgroup");
        var zattrsKey = StoreKeys.Join(path, ".zattrs");
        if (consolidated is not null && options.UseConsolidatedMetadata)
        {
            // A node the consolidated metadata knows is read from it alone: no request.
            if (consolidated.Get(v3Key) is { } v3) return FromV3(store, path, v3, v3Key, options, consolidated);
            if (consolidated.Get(zarrayKey) is { } za) return new ZarrArray(store, path, ArrayMetadata.ParseV2(za, consolidated.Get(zattrsKey), zarrayKey), options);
            if (consolidated.Get(zgroupKey) is { } zg) return new ZarrGroup(store, path, GroupMetadata.ParseV2(zg, consolidated.Get(zattrsKey), null, zgroupKey), options, consolidated);
        }
        if (hierarchyFormat == 3 && await store.GetJsonAsync(v3Key, ct).ConfigureAwait(false) is { } v3Doc)
            return FromV3(store, path, v3Doc, v3Key, options, null);
        // Without a parent, one round trip whatever the format (as zarr-python 3 does when the format is not given):
        // zarr.json and the v2 documents at once: .zarray and .zattrs, and .zmetadata when consolidated metadata is
        // used (it holds the group's own .zgroup, so a consolidated v2 hierarchy opens in one round of four requests),
        // else .zgroup. Over a remote store that saves a v2 root the latency of zarr.json's 404; a v3 root pays three
        // small concurrent 404s instead, whose failures (a v2 document the v3 node does not use) are ignored.
        var zarrJson = hierarchyFormat is null ? store.GetJsonAsync(v3Key, ct).AsTask() : null;
        var zarray = store.GetJsonAsync(zarrayKey, ct).AsTask();
        var zattrs = store.GetJsonAsync(zattrsKey, ct).AsTask();
        var zmeta = options.UseConsolidatedMetadata ? store.GetJsonAsync(StoreKeys.Join(path, ".zmetadata"), ct).AsTask() : Task.FromResult<JsonNode?>(null);
        var zgroup = options.UseConsolidatedMetadata ? null : store.GetJsonAsync(zgroupKey, ct).AsTask();
        var v2 = Task.WhenAll(zarray, zattrs, zmeta, zgroup ?? Task.CompletedTask);
        if (zarrJson is not null)
        {
            JsonNode? doc;
            try
            {
                doc = await zarrJson.ConfigureAwait(false);
            }
            catch
            {
                IgnoreFailures(v2);
                throw;
            }
            if (doc is not null)
            {
                IgnoreFailures(v2);
                return FromV3(store, path, doc, v3Key, options, null);
            }
        }
        await v2.ConfigureAwait(false);
        if (zarray.Result is not null)
            return new ZarrArray(store, path, ArrayMetadata.ParseV2(zarray.Result, zattrs.Result, zarrayKey), options);
        var zmetaObject = zmeta.Result as JsonObject;
        var group = (zmetaObject?["metadata"] as JsonObject)?[".zgroup"] ?? (zgroup is null ? await store.GetJsonAsync(zgroupKey, ct).ConfigureAwait(false) : zgroup.Result);
        if (group is not null)
        {
            var meta = GroupMetadata.ParseV2(group, zattrs.Result, zmeta.Result, zgroupKey);
            return new ZarrGroup(store, path, meta, options, meta.Consolidated is null ? null : new Consolidated(path, meta.Consolidated));
        }
        if (hierarchyFormat == 2 && await store.GetJsonAsync(v3Key, ct).ConfigureAwait(false) is { } late)
            return FromV3(store, path, late, v3Key, options, null);
        throw new ZarrNodeNotFoundException(path, store.ToString() ?? "the store");
    }

    /// <summary>Observes the failure of requests whose answers are no longer needed (so it is not an unobserved task exception).</summary>
    private static void IgnoreFailures(Task unneeded)
        => unneeded.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static ZarrNode FromV3(IAsyncStore store, string path, JsonNode doc, string key, ZarrOpenOptions options, Consolidated? inherited)
    {
        var o = MetadataJson.RequireObject(doc, key);
        var nodeType = MetadataJson.RequireString(o, "node_type", key);
        switch (nodeType)
        {
            case "array":
                return new ZarrArray(store, path, ArrayMetadata.ParseV3(doc, key), options);
            case "group":
                var meta = GroupMetadata.ParseV3(doc, key);
                var consolidated = meta.Consolidated is not null ? new Consolidated(path, meta.Consolidated) : inherited;
                return new ZarrGroup(store, path, meta, options, consolidated);
            default:
                throw new ZarrFormatException(key, $"field 'node_type' must be 'array' or 'group', got '{nodeType}'");
        }
    }
}
