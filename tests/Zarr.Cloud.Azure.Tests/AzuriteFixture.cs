using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests;
using Zarr.Cloud.Tests.Emulators;

[assembly: AssemblyFixture(typeof(Zarr.Cloud.Azure.Tests.AzuriteFixture))]

namespace Zarr.Cloud.Azure.Tests;

/// <summary>
/// One Azurite for the whole test run, in memory, started through <see cref="EmulatorBackend.StartAsync"/>: the npm
/// Azure Storage emulator on a free port in <see cref="EmulatorMode.Process"/>, its container in
/// <see cref="EmulatorMode.Docker"/> (the same account and key either way). When the npm one is not installed (process
/// mode), every test that needs it reports <see cref="Requirements.Missing"/> ("azurite (npm ci)").
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account and key (public, documented by Microsoft).</summary>
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private RunningEmulator? _server;
    private string? _missing;

    public int Port => _server?.Port ?? 0;

    /// <summary>The host Azurite listens on (127.0.0.1 for the process; Docker's host for the container).</summary>
    public string Host => _server?.Host ?? "127.0.0.1";

    /// <summary>The blob endpoint, path-style: http://HOST:PORT/devstoreaccount1.</summary>
    public Uri ServiceUri => ServiceUriOf(Host, Port);

    public string ConnectionString => ConnectionStringOf(ServiceUri);

    /// <summary>The path-style blob endpoint of the development account on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Uri ServiceUriOf(string host, int port) => new($"http://{host}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Account}");

    /// <summary>The connection string of the development account at <paramref name="serviceUri"/> (one shape for both modes).</summary>
    public static string ConnectionStringOf(Uri serviceUri) => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint={serviceUri};";

    public async ValueTask InitializeAsync()
    {
        var bin = ServerProcess.NpmBin("azurite-blob");
        if (EmulatorBackend.Mode == EmulatorMode.Process && bin is null)
        {
            _missing = "azurite (npm ci)";
            return;
        }
        _server = await EmulatorBackend.StartAsync("azurite", ContainerSpec.Azurite, port => ServerProcess.StartAsync("azurite", bin!,
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--silent", "--skipApiVersionCheck"], port));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Skips (or, with ZARR_REQUIRE_ALL=1, fails) the calling test when Azurite is not installed.</summary>
    public void Require()
    {
        if (_missing is not null) Requirements.Missing(_missing);
    }

    /// <summary>Options reaching Azurite with its connection string; <paramref name="counter"/> sees every request.</summary>
    public AzureBlobStoreOptions Options(RequestCounter? counter = null, int? listPageSize = null) => new()
    {
        ConnectionString = ConnectionString,
        ListPageSize = listPageSize,
        ConfigureClientOptions = counter is null ? null : o => o.AddPolicy(counter, HttpPipelinePosition.PerRetry),
    };

    /// <summary>A new, empty container (a fresh name each call).</summary>
    public async Task<string> CreateContainerAsync()
    {
        Require();
        var name = "t" + Guid.NewGuid().ToString("N")[..20];
        await new BlobServiceClient(ConnectionString).GetBlobContainerClient(name).CreateAsync(cancellationToken: TestContext.Current.CancellationToken);
        return name;
    }

    public async Task DeleteContainerAsync(string name)
    {
        if (_missing is not null || _server is null) return;
        await new BlobServiceClient(ConnectionString).GetBlobContainerClient(name).DeleteIfExistsAsync();
    }

    /// <summary>A store over a new container, rooted at <paramref name="prefix"/>.</summary>
    public async Task<AzureBlobStore> CreateStoreAsync(string prefix = "", RequestCounter? counter = null, int? listPageSize = null)
    {
        var container = await CreateContainerAsync();
        var path = prefix.Length == 0 ? container : $"{container}/{prefix}";
        return AzureBlobStore.FromUrl($"az://{path}", Options(counter, listPageSize));
    }

    /// <summary>Deletes the container of a store <see cref="CreateStoreAsync"/> made (nothing for null).</summary>
    public async ValueTask DeleteStoreAsync(AzureBlobStore? store)
    {
        if (store is not null) await DeleteContainerAsync(store.Container.Name);
    }
}

/// <summary>Counts the HTTP requests an Azure SDK client sends, and remembers each one's method and range.</summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly List<string> _requests = [];

    public int Count { get { lock (_requests) return _requests.Count; } }

    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToList(); } }

    public void Reset() { lock (_requests) _requests.Clear(); }

    /// <summary>How many listing requests (comp=list) were sent.</summary>
    public int Listings => Requests.Count(r => r.StartsWith("LIST", StringComparison.Ordinal));

    public override void OnSendingRequest(HttpMessage message)
    {
        var range = message.Request.Headers.TryGetValue("x-ms-range", out var r) ? " " + r : message.Request.Headers.TryGetValue("Range", out var r2) ? " " + r2 : "";
        var what = message.Request.Uri.Query.Contains("comp=list", StringComparison.Ordinal) ? "LIST" : message.Request.Method.ToString();
        lock (_requests) _requests.Add(what + range);
    }
}
