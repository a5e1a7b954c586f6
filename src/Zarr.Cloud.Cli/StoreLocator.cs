using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli;

/// <summary>
/// Resolves a command-line URL (a local path, <c>file://</c>, or a scheme a backend registered) to a store and a
/// node path, optionally wrapped in an <see cref="InstrumentedStore"/> for <c>--stats</c>, and opens nodes there.
/// A local path may point into a hierarchy: the store is rooted at that folder.
/// </summary>
internal sealed class StoreLocator
{
    private StoreLocator(string url, IAsyncStore backend, IAsyncStore store, string path, InstrumentedStore? statistics)
    {
        Url = url;
        Backend = backend;
        Store = store;
        Path = path;
        Statistics = statistics;
    }

    /// <summary>The URL as given.</summary>
    public string Url { get; }

    /// <summary>The store the URL resolved to, unwrapped.</summary>
    public IAsyncStore Backend { get; }

    /// <summary>The store (the instrumented wrapper when statistics are on).</summary>
    public IAsyncStore Store { get; }

    /// <summary>The node path inside the store.</summary>
    public string Path { get; }

    /// <summary>The request counters, when asked for.</summary>
    public InstrumentedStore? Statistics { get; }

    /// <summary>Resolves <paramref name="url"/>.</summary>
    /// <param name="url">The URL or path.</param>
    /// <param name="options">Options (their store options are used).</param>
    /// <param name="instrument">True to count requests.</param>
    /// <exception cref="UsageException">The URL is empty or its scheme is unknown.</exception>
    public static StoreLocator Resolve(string url, ZarrOpenOptions options, bool instrument)
    {
        StoreLocation loc;
        try
        {
            loc = StoreResolver.Resolve(url, options.Store);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(ErrorReport.MessageOf(e), e);
        }
        var stats = instrument ? new InstrumentedStore(loc.Store) : null;
        return new StoreLocator(url, loc.Store.GetBackend(), stats ?? loc.Store, loc.Path, stats);
    }

    /// <summary>The folder of the node, for a local store; else null.</summary>
    public string? LocalFolder => Backend is FileSystemStore fs ? System.IO.Path.GetFullPath(System.IO.Path.Combine(fs.Root, Path)) : null;

    /// <summary>Opens the array or group at the URL.</summary>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public Task<ZarrNode> OpenAsync(ZarrOpenOptions options, CancellationToken cancellationToken) =>
        ZarrNode.OpenAsync(Store, Path, options, cancellationToken);

    /// <summary>Opens the array at the URL; a group there is an error that says so.</summary>
    /// <param name="options">Options.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public async Task<ZarrArray> OpenArrayAsync(ZarrOpenOptions options, CancellationToken cancellationToken)
    {
        var node = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        return node as ZarrArray ?? throw new IOException($"'{Url}' is a group, not an array: 'zarr tree {Url}' lists its arrays");
    }
}
