using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>A group: a node with attributes whose children are arrays and groups.</summary>
public class ZarrGroup : ZarrNode
{
    private readonly object _gate = new();
    private GroupMetadata _metadata;
    private readonly NodeLoader.Consolidated? _consolidated;

    internal ZarrGroup(IAsyncStore store, string path, GroupMetadata metadata, ZarrOpenOptions options, NodeLoader.Consolidated? consolidated) : base(store, path, options)
    {
        _metadata = metadata;
        _consolidated = options.UseConsolidatedMetadata ? consolidated : null;
    }

    /// <summary>The metadata.</summary>
    public GroupMetadata Metadata { get { lock (_gate) return _metadata; } }

    /// <inheritdoc />
    public override int ZarrFormat => Metadata.ZarrFormat;

    /// <inheritdoc />
    public override JsonObject Attributes => (JsonObject)Metadata.Attributes.DeepClone();

    /// <summary>True when this group's hierarchy is read from consolidated metadata.</summary>
    public bool IsConsolidated => _consolidated is not null;

    /// <summary>Opens the group at a URL or path.</summary>
    /// <param name="url">The URL or path.</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">No group is there.</exception>
    public static new async Task<ZarrGroup> OpenAsync(string url, ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
        => AsGroup(await ZarrNode.OpenAsync(url, options, cancellationToken).ConfigureAwait(false));

    /// <summary>Opens the group at <paramref name="path"/> in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The group path ("" for the root).</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">No group is there.</exception>
    public static new async Task<ZarrGroup> OpenAsync(IAsyncStore store, string path = "", ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
        => AsGroup(await ZarrNode.OpenAsync(store, path, options, cancellationToken).ConfigureAwait(false));

    private static ZarrGroup AsGroup(ZarrNode node) => node as ZarrGroup
        ?? throw new ZarrNodeNotFoundException(node.Path, node.Store.ToString() ?? "the store", "group");

    /// <summary>Creates a group (and missing parents) and writes its metadata.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The group path ("" for the root).</param>
    /// <param name="zarrFormat">2 or 3.</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="overwrite">Replace an existing node (its keys are deleted).</param>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task<ZarrGroup> CreateAsync(IAsyncStore store, string path = "", int zarrFormat = 3, JsonObject? attributes = null, bool overwrite = false, ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        path = StoreKeys.NormalizePath(path);
        options ??= new ZarrOpenOptions();
        var meta = new GroupMetadata(zarrFormat, attributes);
        await Hierarchy.PrepareNodeAsync(store, path, zarrFormat, overwrite, cancellationToken).ConfigureAwait(false);
        await Hierarchy.WriteGroupAsync(store, path, meta, cancellationToken).ConfigureAwait(false);
        Hierarchy.ForgetCached(store, path, options);
        return new ZarrGroup(store, path, meta, options, null);
    }

    /// <summary>Creates a group under this one.</summary>
    /// <param name="name">The relative path ("a" or "a/b").</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="overwrite">Replace an existing node.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public Task<ZarrGroup> CreateGroupAsync(string name, JsonObject? attributes = null, bool overwrite = false, CancellationToken cancellationToken = default)
        => CreateAsync(Store, ChildPath(name), ZarrFormat, attributes, overwrite, Options, cancellationToken);

    /// <summary>Creates an array under this one, in this group's Zarr format unless the definition says otherwise.</summary>
    /// <param name="name">The relative path.</param>
    /// <param name="definition">What the array is.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public Task<ZarrArray> CreateArrayAsync(string name, ZarrArrayDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.IsZarrFormatSet) definition = definition.WithZarrFormat(ZarrFormat);
        return ZarrArray.CreateAsync(Store, ChildPath(name), definition, Options, cancellationToken);
    }

    private string ChildPath(string name)
    {
        var rel = StoreKeys.NormalizePath(name);
        if (rel.Length == 0) throw new ArgumentException("The child name is empty.", nameof(name));
        return StoreKeys.Join(Path, rel);
    }

    /// <summary>Opens the node at a path relative to this group.</summary>
    /// <param name="name">The relative path.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public Task<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default)
        => NodeLoader.OpenAsync(Store, ChildPath(name), Options, _consolidated, ZarrFormat, cancellationToken);

    /// <summary>Opens the array at a path relative to this group.</summary>
    /// <param name="name">The relative path.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<ZarrArray> OpenArrayAsync(string name, CancellationToken cancellationToken = default)
        => await OpenAsync(name, cancellationToken).ConfigureAwait(false) as ZarrArray ?? throw new ZarrNodeNotFoundException(ChildPath(name), Store.ToString() ?? "the store", "array");

    /// <summary>Opens the group at a path relative to this group.</summary>
    /// <param name="name">The relative path.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<ZarrGroup> OpenGroupAsync(string name, CancellationToken cancellationToken = default)
        => await OpenAsync(name, cancellationToken).ConfigureAwait(false) as ZarrGroup ?? throw new ZarrNodeNotFoundException(ChildPath(name), Store.ToString() ?? "the store", "group");

    /// <summary>
    /// The names of the direct children, sorted. From consolidated metadata when the group has it (no request),
    /// else by listing the store.
    /// </summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="NotSupportedException">The group has no consolidated metadata and its store cannot list (plain HTTP).</exception>
    public async Task<IReadOnlyList<string>> ListChildrenAsync(CancellationToken cancellationToken = default)
    {
        if (_consolidated is { } c)
        {
            var prefix = c.RootPath == Path ? "" : Path[(c.RootPath.Length == 0 ? 0 : c.RootPath.Length + 1)..] + "/";
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var key in c.Documents.Keys)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var rest = key[prefix.Length..];
                var parts = rest.Split('/');
                if (parts.Length == 2 && parts[1] is "zarr.json" or ".zarray" or ".zgroup") names.Add(parts[0]);
            }
            return names.ToList();
        }
        ThrowUnlessStoreLists("list the children of");
        var (_, folders) = await Store.ListDirAsync(Path, cancellationToken).ConfigureAwait(false);
        var result = new List<string>();
        foreach (var f in folders)
            if (await Hierarchy.NodeExistsAsync(Store, StoreKeys.Join(Path, f), cancellationToken).ConfigureAwait(false)) result.Add(f);
        return result;
    }

    /// <summary>Opens every direct child.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IReadOnlyList<ZarrNode>> GetChildrenAsync(CancellationToken cancellationToken = default)
    {
        var names = await ListChildrenAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<ZarrNode>(names.Count);
        foreach (var n in names) nodes.Add(await OpenAsync(n, cancellationToken).ConfigureAwait(false));
        return nodes;
    }

    /// <inheritdoc />
    public override async Task SetAttributesAsync(JsonObject attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        GroupMetadata updated;
        lock (_gate) updated = _metadata = _metadata.WithAttributes(attributes);
        if (updated.ZarrFormat == 3) await Store.SetJsonAsync(KeyOf("zarr.json"), updated.ToV3Json(), cancellationToken).ConfigureAwait(false);
        else await Store.SetJsonAsync(KeyOf(".zattrs"), updated.Attributes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes consolidated metadata of the whole hierarchy below this group, so that opening it and its
    /// children costs one request: v2 <c>.zmetadata</c>, v3 inline <c>consolidated_metadata</c> in zarr.json.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="NotSupportedException">The store cannot list (plain HTTP): consolidate where the data is written.</exception>
    public async Task ConsolidateMetadataAsync(CancellationToken cancellationToken = default)
    {
        ThrowUnlessStoreLists("consolidate the metadata of");
        var docs = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var fresh = new ZarrOpenOptions { Codecs = Options.Codecs, UseConsolidatedMetadata = false };
        async Task Walk(string path)
        {
            var (_, folders) = await Store.ListDirAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var f in folders)
            {
                var child = StoreKeys.Join(path, f);
                var rel = Path.Length == 0 ? child : child[(Path.Length + 1)..];
                ZarrNode node;
                try { node = await NodeLoader.OpenAsync(Store, child, fresh, null, ZarrFormat, cancellationToken).ConfigureAwait(false); }
                catch (ZarrNodeNotFoundException) { continue; }
                if (ZarrFormat == 3)
                {
                    docs[rel] = node is ZarrArray a ? a.Metadata.ToV3Json() : ((ZarrGroup)node).Metadata.ToV3Json();
                }
                else if (node is ZarrArray a2)
                {
                    docs[$"{rel}/.zarray"] = a2.Metadata.ToV2Json();
                    if (a2.Metadata.Attributes.Count > 0) docs[$"{rel}/.zattrs"] = a2.Metadata.Attributes.DeepClone();
                }
                else
                {
                    docs[$"{rel}/.zgroup"] = GroupMetadata.V2GroupJson();
                    var attrs = ((ZarrGroup)node).Metadata.Attributes;
                    if (attrs.Count > 0) docs[$"{rel}/.zattrs"] = attrs.DeepClone();
                }
                if (node is ZarrGroup) await Walk(child).ConfigureAwait(false);
            }
        }
        await Walk(Path).ConfigureAwait(false);
        if (ZarrFormat == 3)
        {
            var doc = Metadata.ToV3Json();
            var md = new JsonObject();
            foreach (var (k, v) in docs) md[k] = v;
            doc["consolidated_metadata"] = new JsonObject { ["kind"] = "inline", ["must_understand"] = false, ["metadata"] = md };
            await Store.SetJsonAsync(KeyOf("zarr.json"), doc, cancellationToken).ConfigureAwait(false);
            return;
        }
        var meta = new JsonObject { [".zgroup"] = GroupMetadata.V2GroupJson() };
        if (Metadata.Attributes.Count > 0) meta[".zattrs"] = Metadata.Attributes.DeepClone();
        foreach (var (k, v) in docs) meta[k] = v;
        await Store.SetJsonAsync(KeyOf(".zmetadata"), new JsonObject { ["metadata"] = meta, ["zarr_consolidated_format"] = 1 }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Walking a hierarchy needs a store that lists; say so, and what to do instead, before a deeper error does.</summary>
    private void ThrowUnlessStoreLists(string what)
    {
        if ((Store.Capabilities & StoreCapabilities.List) != 0) return;
        throw new NotSupportedException(
            $"Cannot {what} group '{(Path.Length == 0 ? "/" : Path)}': {Store} cannot list keys, and the group was not opened from " +
            "consolidated metadata. Over plain HTTP a hierarchy is listed through consolidated metadata (.zmetadata for v2, " +
            "consolidated_metadata in zarr.json for v3: write it with ConsolidateMetadataAsync or zarr.consolidate_metadata where the data is), " +
            "or open children by path with OpenAsync(name).");
    }

    /// <inheritdoc />
    public override string ToString() => $"ZarrGroup(v{ZarrFormat} '{Path}')";
}
