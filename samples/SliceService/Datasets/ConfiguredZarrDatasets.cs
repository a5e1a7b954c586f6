using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.SliceService.Datasets;

/// <summary>
/// <see cref="IZarrDatasets"/> over the "Zarr:Datasets" configuration section; each dataset's root and arrays are opened
/// once and kept (a failed open is retried by the next request). Stand-in for the DI package's implementation.
/// </summary>
public sealed class ConfiguredZarrDatasets : IZarrDatasets
{
    private readonly IReadOnlyDictionary<string, DatasetSettings> _datasets;
    private readonly ConcurrentDictionary<string, Lazy<Task<ZarrNode>>> _roots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), Lazy<Task<ZarrArray>>> _arrays = new();

    /// <summary>Creates the registry from bound options.</summary>
    public ConfiguredZarrDatasets(IOptions<DatasetsSettings> options)
    {
        _datasets = new Dictionary<string, DatasetSettings>(options.Value.Datasets, StringComparer.Ordinal);
        foreach (var (name, d) in _datasets)
            if (string.IsNullOrWhiteSpace(d.Url)) throw new OptionsValidationException(name, typeof(DatasetSettings), [$"Zarr:Datasets:{name}:Url is empty."]);
        S3.S3StoreRegistration.Register();
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _datasets.Keys.Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public bool Contains(string name) => name is not null && _datasets.ContainsKey(name);

    /// <inheritdoc />
    public async ValueTask<ZarrNode> OpenAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!_datasets.TryGetValue(name, out var d)) throw new KeyNotFoundException($"No dataset '{name}' is configured (Zarr:Datasets).");
        return await SharedTasks.GetOrStart(_roots, name, _ => ZarrNode.OpenAsync(d.Url, OpenOptions(d), CancellationToken.None)).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ZarrArray> OpenArrayAsync(string name, string arrayPath, CancellationToken cancellationToken = default)
    {
        var root = await OpenAsync(name, cancellationToken);
        return await SharedTasks.GetOrStart(_arrays, (name, arrayPath), async _ => root switch
        {
            ZarrGroup g => await g.OpenArrayAsync(arrayPath, CancellationToken.None),
            ZarrArray a when arrayPath.Length == 0 => a,
            _ => throw new ZarrNodeNotFoundException(arrayPath, name, "array"),
        }).WaitAsync(cancellationToken);
    }

    private static ZarrOpenOptions OpenOptions(DatasetSettings d) => new()
    {
        Store = new StoreOpenOptions { Anonymous = d.Anonymous, Endpoint = d.Endpoint, Region = d.Region, ReadOnly = true },
    };
}

/// <summary>The "Zarr" configuration section as far as the stand-in registry reads it.</summary>
public sealed class DatasetsSettings
{
    /// <summary>Datasets by name.</summary>
    public Dictionary<string, DatasetSettings> Datasets { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One configured dataset (the fields of the DI package's <c>ZarrDatasetOptions</c>).</summary>
public sealed class DatasetSettings
{
    /// <summary>Where it is: a local path, file://, https://, s3://, az://, gs://.</summary>
    public string Url { get; set; } = "";

    /// <summary>Read without credentials (public data).</summary>
    public bool Anonymous { get; set; }

    /// <summary>An S3-compatible or emulated endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The region.</summary>
    public string? Region { get; set; }
}
