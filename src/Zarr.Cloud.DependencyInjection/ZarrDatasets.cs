using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Caching;
using Zarr.Cloud.Diagnostics;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.DependencyInjection;

/// <summary>
/// <see cref="IZarrDatasets"/> over the container: each dataset's store is resolved by <see cref="StoreResolver"/> with
/// the configured resilience, concurrency, logger, clock and <see cref="IHttpClientFactory"/> client, wrapped in
/// <see cref="HybridCachingStore"/> when the shared cache is on, and its nodes share the singleton <see cref="ChunkCache"/>.
/// </summary>
internal sealed partial class ZarrDatasets : IZarrDatasets
{
    private readonly ZarrCloudOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly ChunkCache? _chunkCache;
    private readonly HybridCache? _sharedCache;
    private readonly ILogger _logger;
    private readonly ILogger _storeLogger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<Task<ZarrNode>>> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Dataset, string Path), Lazy<Task<ZarrArray>>> _arrays = new(DatasetPathComparer.Instance);

    public ZarrDatasets(IOptions<ZarrCloudOptions> options, IServiceProvider services)
    {
        _options = options.Value;
        _httpClients = services.GetRequiredService<IHttpClientFactory>();
        _chunkCache = _options.ChunkCacheBytes > 0 ? services.GetRequiredService<ChunkCache>() : null;
        _sharedCache = services.GetService<SharedChunkCacheActivation>() is null ? null : services.GetRequiredService<HybridCache>();
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger("Zarr.Cloud.Datasets");
        _storeLogger = loggers.CreateLogger("Zarr.Cloud.Storage");
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Names = _options.Datasets.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names { get; }

    /// <inheritdoc />
    public bool Contains(string name) => name is not null && _options.Datasets.ContainsKey(name);

    /// <inheritdoc />
    public ValueTask<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default)
    {
        var dataset = Require(name);
        return OpenSharedAsync(_nodes, name, () => OpenDatasetAsync(name, dataset), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ZarrArray> OpenArrayAsync(string name, string arrayPath, CancellationToken cancellationToken = default)
    {
        Require(name);
        var path = StoreKeys.NormalizePath(arrayPath);
        return OpenSharedAsync(_arrays, (name, path), () => OpenArrayCoreAsync(name, path), cancellationToken);
    }

    /// <summary>The options the nodes of <paramref name="dataset"/> are opened with.</summary>
    internal ZarrOpenOptions OpenOptionsFor(ZarrDatasetOptions dataset) => new()
    {
        MaxConcurrency = _options.MaxConcurrency,
        ChunkCache = _chunkCache,
        Store = new StoreOpenOptions
        {
            ReadOnly = dataset.ReadOnly,
            Anonymous = dataset.Anonymous,
            Endpoint = dataset.Endpoint,
            Region = dataset.Region,
            Resilience = _options.Resilience,
            MaxInFlightRequests = _options.MaxInFlightRequests,
            Logger = _storeLogger,
            TimeProvider = _time,
            HttpClientFactory = () => _httpClients.CreateClient(ZarrCloudServiceCollectionExtensions.HttpClientName),
        },
    };

    private ZarrDatasetOptions Require(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_options.Datasets.TryGetValue(name, out var dataset) && dataset is not null) return dataset;
        var known = Names.Count == 0 ? "none is configured" : "the datasets are " + string.Join(", ", Names.Select(n => $"'{n}'"));
        throw new KeyNotFoundException($"No Zarr dataset is named '{name}' ({known}); add it under Zarr:Datasets:{name}:Url or with AddDataset(\"{name}\", url).");
    }

    /// <summary>The shared open of <paramref name="key"/>: started once; a failed or cancelled open is forgotten so the next call retries.</summary>
    private static async ValueTask<T> OpenSharedAsync<TKey, T>(ConcurrentDictionary<TKey, Lazy<Task<T>>> opened, TKey key, Func<Task<T>> open, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var entry = opened.GetOrAdd(key, _ => new Lazy<Task<T>>(open, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            opened.TryRemove(new KeyValuePair<TKey, Lazy<Task<T>>>(key, entry));
            throw;
        }
    }

    private async Task<ZarrNode> OpenDatasetAsync(string name, ZarrDatasetOptions dataset)
    {
        using var activity = ZarrCloudTelemetry.ActivitySource.StartActivity("zarr.dataset.open");
        activity?.SetTag("zarr.dataset", name);
        var url = StoreUrlRedactor.Redact(dataset.Url);
        try
        {
            var options = OpenOptionsFor(dataset);
            var location = StoreResolver.Resolve(dataset.Url, options.Store);
            var store = _sharedCache is null
                ? location.Store
                : new HybridCachingStore(location.Store, _sharedCache, PartitionOf(dataset.Url), _options.SharedCache, _storeLogger);
            // The shared open is not cancelled by any one caller (each caller's wait is).
            var node = await ZarrNode.OpenAsync(store, location.Path, options, CancellationToken.None).ConfigureAwait(false);
            LogOpened(_logger, name, url, node.ZarrFormat, node is ZarrArray ? "array" : "group");
            return node;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            LogOpenFailed(_logger, e, name, url);
            throw;
        }
    }

    private async Task<ZarrArray> OpenArrayCoreAsync(string name, string path)
    {
        var node = await OpenAsync(name, CancellationToken.None).ConfigureAwait(false);
        return (node, path.Length) switch
        {
            (ZarrArray array, 0) => array,
            (ZarrGroup, 0) => throw new ArgumentException($"The dataset '{name}' is a group: name an array inside it.", "arrayPath"),
            (ZarrGroup group, _) => await group.OpenArrayAsync(path, CancellationToken.None).ConfigureAwait(false),
            (ZarrArray, _) => throw new ArgumentException($"The dataset '{name}' is an array, not a group: it has no array '{path}' inside it (pass \"\" for the dataset itself).", "arrayPath"),
            _ => throw new ZarrNodeNotFoundException(path, $"dataset '{name}'", "array"),
        };
    }

    /// <summary>
    /// The shared cache's name for a dataset's data: a hash of its URL, the same in every instance that reads it, and
    /// free of whatever secrets a URL may carry.
    /// </summary>
    internal static string PartitionOf(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)).AsSpan(0, 12));

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened Zarr dataset {Dataset} at {Url}: v{ZarrFormat} {Kind}")]
    private static partial void LogOpened(ILogger logger, string dataset, string url, int zarrFormat, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open Zarr dataset {Dataset} at {Url}")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string dataset, string url);

    /// <summary>Dataset names compare case-insensitively, array paths exactly.</summary>
    private sealed class DatasetPathComparer : IEqualityComparer<(string Dataset, string Path)>
    {
        public static readonly DatasetPathComparer Instance = new();

        public bool Equals((string Dataset, string Path) x, (string Dataset, string Path) y)
            => StringComparer.OrdinalIgnoreCase.Equals(x.Dataset, y.Dataset) && StringComparer.Ordinal.Equals(x.Path, y.Path);

        public int GetHashCode((string Dataset, string Path) obj)
            => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Dataset), StringComparer.Ordinal.GetHashCode(obj.Path));
    }
}
