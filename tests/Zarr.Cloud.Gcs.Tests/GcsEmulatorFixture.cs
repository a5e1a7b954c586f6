using System.ComponentModel;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests;
using Zarr.Cloud.Tests.Emulators;

[assembly: AssemblyFixture(typeof(Zarr.Cloud.Gcs.Tests.GcsEmulatorFixture))]

namespace Zarr.Cloud.Gcs.Tests;

/// <summary>
/// One Cloud Storage emulator for the whole test run, in memory, started through <see cref="EmulatorBackend.StartAsync"/>:
/// firebase-tools' (tests/emulators/gcs-emu.js) on a free port in <see cref="EmulatorMode.Process"/>, fake-gcs-server's
/// container in <see cref="EmulatorMode.Docker"/>. Each test takes a fresh bucket (<see cref="CreateBucketAsync"/>:
/// fake-gcs-server needs it, firebase's springs into being on first use). When node or firebase-tools is missing
/// (process mode), every test that needs it reports <see cref="Requirements.Missing"/>.
/// </summary>
public sealed class GcsEmulatorFixture : IAsyncLifetime
{
    private RunningEmulator? _server;
    private string? _missing;

    public Uri ServiceUri => new($"http://{EmulatorHost}");

    /// <summary>The value STORAGE_EMULATOR_HOST takes for this emulator (host:port, as Google's libraries accept).</summary>
    public string EmulatorHost => $"{_server?.Host ?? "127.0.0.1"}:{_server?.Port ?? 0}";

    public async ValueTask InitializeAsync()
    {
        if (EmulatorBackend.Mode == EmulatorMode.Process && !Directory.Exists(Path.Combine(ServerProcess.RepoRoot, "node_modules", "firebase-tools")))
        {
            _missing = "firebase-tools (npm ci)";
            return;
        }
        try
        {
            _server = await EmulatorBackend.StartAsync("gcs emulator", ContainerSpec.FakeGcs, port =>
                ServerProcess.StartAsync("gcs emulator", "node", [Path.Combine("tests", "emulators", "gcs-emu.js")], port,
                    new Dictionary<string, string> { ["GCS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
        catch (Win32Exception) when (EmulatorBackend.Mode == EmulatorMode.Process)
        {
            _missing = "node (Node.js 20 or later)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Skips (or, with ZARR_REQUIRE_ALL=1, fails) the calling test when the emulator is not installed.</summary>
    public void Require()
    {
        if (_missing is not null) Requirements.Missing(_missing);
    }

    /// <summary>Options reaching the emulator; <paramref name="counter"/> sees every request.</summary>
    public GcsStoreOptions Options(RequestCounter? counter = null, int? listPageSize = null) => new()
    {
        ServiceUri = ServiceUri,
        Anonymous = true,
        ListPageSize = listPageSize,
        HttpClient = counter?.CreateClient(),
    };

    /// <summary>
    /// Creates a bucket through the JSON API. The firebase-tools emulator creates buckets on first use and answers 501
    /// here; fake-gcs-server (the Docker emulator) needs it.
    /// </summary>
    public async Task CreateBucketAsync(string bucket)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(ServiceUri, "storage/v1/b?project=demo-test"),
            new StringContent($"{{\"name\":\"{bucket}\"}}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        if (!response.IsSuccessStatusCode && (int)response.StatusCode is not (409 or 501))
            throw new InvalidOperationException($"creating bucket {bucket}: HTTP {(int)response.StatusCode}");
    }

    /// <summary>A store in a bucket of its own, rooted at <paramref name="prefix"/>.</summary>
    public async Task<GcsStore> CreateStoreAsync(string prefix = "", RequestCounter? counter = null, int? listPageSize = null)
    {
        Require();
        var bucket = "t" + Guid.NewGuid().ToString("N")[..20];
        await CreateBucketAsync(bucket);
        return GcsStore.FromUrl(prefix.Length == 0 ? $"gs://{bucket}" : $"gs://{bucket}/{prefix}", Options(counter, listPageSize));
    }
}

/// <summary>Counts the HTTP requests a store sends, and remembers each one's method, path and range.</summary>
public sealed class RequestCounter : DelegatingHandler
{
    private readonly List<string> _requests = [];

    public RequestCounter() : base(new SocketsHttpHandler()) { }

    public HttpClient CreateClient() => new(this, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public int Count { get { lock (_requests) return _requests.Count; } }

    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>How many listing requests were sent.</summary>
    public int Listings => Requests.Count(r => r.StartsWith("LIST", StringComparison.Ordinal));

    public void Reset() { lock (_requests) _requests.Clear(); }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var what = request.Method == HttpMethod.Get && path.EndsWith("/o", StringComparison.Ordinal) ? "LIST"
            : request.Method == HttpMethod.Get && request.RequestUri.Query.Contains("alt=media", StringComparison.Ordinal) ? "MEDIA"
            : request.Method == HttpMethod.Get ? "META" : request.Method.ToString();
        var range = request.Headers.TryGetValues("Range", out var r) ? " " + string.Join(",", r) : "";
        lock (_requests) _requests.Add(what + range);
        return base.SendAsync(request, cancellationToken);
    }
}
