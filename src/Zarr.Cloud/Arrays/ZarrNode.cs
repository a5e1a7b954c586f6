using System.Text.Json.Nodes;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Arrays;

/// <summary>An array or a group at a path in a store.</summary>
public abstract class ZarrNode
{
    /// <summary>Creates a node.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The path inside the store ("" for the root).</param>
    /// <param name="options">Options.</param>
    protected ZarrNode(IAsyncStore store, string path, ZarrOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Store = store;
        Path = StoreKeys.NormalizePath(path);
        Options = options;
    }

    /// <summary>The store.</summary>
    public IAsyncStore Store { get; }

    /// <summary>The path inside the store ("" for the root).</summary>
    public string Path { get; }

    /// <summary>The last segment of the path ("/" for the root).</summary>
    public string Name => Path.Length == 0 ? "/" : Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>The options the node was opened with.</summary>
    public ZarrOpenOptions Options { get; }

    /// <summary>2 or 3.</summary>
    public abstract int ZarrFormat { get; }

    /// <summary>A copy of the attributes.</summary>
    public abstract JsonObject Attributes { get; }

    /// <summary>Replaces the attributes and writes the metadata.</summary>
    /// <param name="attributes">The new attributes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public abstract Task SetAttributesAsync(JsonObject attributes, CancellationToken cancellationToken = default);

    /// <summary>The store key of a file of this node ("path/name").</summary>
    /// <param name="name">The file name, e.g. "zarr.json".</param>
    protected string KeyOf(string name) => StoreKeys.Join(Path, name);

    /// <summary>
    /// Opens the array or group at <paramref name="url"/>: a local path, <c>file://</c>, or any scheme a backend
    /// package registered (s3://, gs://, az://, https://). Asks for the v3 and v2 metadata documents at once (one round
    /// trip); v3 wins where both exist.
    /// </summary>
    /// <param name="url">The URL or path.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">Nothing Zarr is there.</exception>
    /// <exception cref="ZarrFormatException">The metadata is malformed or not supported.</exception>
    public static Task<ZarrNode> OpenAsync(string url, ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ZarrOpenOptions();
        var loc = StoreResolver.Resolve(url, options.Store);
        return OpenAsync(loc.Store, loc.Path, options, cancellationToken);
    }

    /// <summary>Opens the array or group at <paramref name="path"/> in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path ("" for the root).</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ZarrNodeNotFoundException">Nothing Zarr is there.</exception>
    /// <exception cref="ZarrFormatException">The metadata is malformed or not supported.</exception>
    public static Task<ZarrNode> OpenAsync(IAsyncStore store, string path = "", ZarrOpenOptions? options = null, CancellationToken cancellationToken = default)
        => NodeLoader.OpenAsync(store, StoreKeys.NormalizePath(path), options ?? new ZarrOpenOptions(), null, null, cancellationToken);
}
