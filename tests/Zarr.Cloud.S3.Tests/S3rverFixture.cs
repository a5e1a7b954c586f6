using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Zarr.Cloud.Tests;
using Zarr.Cloud.Tests.Emulators;

[assembly: AssemblyFixture(typeof(Zarr.Cloud.S3.Tests.S3rverFixture))]

namespace Zarr.Cloud.S3.Tests;

/// <summary>
/// One S3 server for the whole test run, started through <see cref="EmulatorBackend.StartAsync"/>: in
/// <see cref="EmulatorMode.Process"/> s3rver (npm, patched by tests/emulators/patch-s3rver.js) on a free port of
/// 127.0.0.1 with its data in a temporary folder; in <see cref="EmulatorMode.Docker"/> a MinIO container. Tests call
/// <see cref="Require"/> first: without s3rver (process mode) they are skipped (a failure under ZARR_REQUIRE_ALL=1).
/// Tests that need what only s3rver gives (its data folder, anonymous access to any bucket) call
/// <see cref="RequireS3rver"/>, which skips them in Docker mode.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    /// <summary>s3rver's fixed credentials (it accepts any signature, but the SDK wants something to sign with).</summary>
    public const string S3rverKey = "S3RVER";

    /// <summary>The credentials the server of <paramref name="mode"/> accepts: anything for s3rver (we sign with
    /// <see cref="S3rverKey"/>), MinIO's root user and password for the container.</summary>
    public static (string AccessKey, string SecretKey) CredentialsFor(EmulatorMode mode) => mode switch
    {
        EmulatorMode.Process => (S3rverKey, S3rverKey),
        EmulatorMode.Docker => (ContainerSpec.MinioUser, ContainerSpec.MinioPassword),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>What s3rver allows and MinIO refuses, for <see cref="RequireS3rver"/>.</summary>
    public const string AnonymousAccess = "anonymous reads of a bucket nobody made public";

    /// <summary>Why a test that needs s3rver itself (<paramref name="needs"/>) cannot run in <paramref name="mode"/>, or
    /// null when it can (always in process mode, where the server is s3rver).</summary>
    public static string? S3rverOnlySkipReason(EmulatorMode mode, string needs) => mode == EmulatorMode.Process ? null
        : $"needs s3rver ({needs}); {EmulatorBackend.Variable}={mode.ToString().ToLowerInvariant()} runs MinIO, which does not. Run with {EmulatorBackend.Variable}=process.";

    /// <summary>The access key of this run's server (<see cref="CredentialsFor"/> the run's mode).</summary>
    public static string AccessKey => CredentialsFor(EmulatorBackend.Mode).AccessKey;

    /// <summary>The secret key of this run's server.</summary>
    public static string SecretKey => CredentialsFor(EmulatorBackend.Mode).SecretKey;

    private RunningEmulator? _server;
    private string? _missing;
    private int _buckets;

    /// <summary>The fixture's temporary folder (s3rver's data is in its "data" folder; unused in Docker mode).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "zarrcloud-s3rver-" + Guid.NewGuid().ToString("N"));

    /// <summary>http://HOST:PORT (127.0.0.1 for s3rver).</summary>
    public string Endpoint => $"http://{_server?.Host ?? "127.0.0.1"}:{_server?.Port}";

    /// <summary>A client for setting up buckets.</summary>
    public AmazonS3Client Admin { get; private set; } = null!;

    /// <summary>Skips (or, under ZARR_REQUIRE_ALL=1, fails) the calling test when s3rver could not be started.</summary>
    public void Require()
    {
        if (_missing is not null) Requirements.Missing(_missing);
    }

    /// <summary><see cref="Require"/>, and a skip in Docker mode (MinIO): the test needs s3rver itself.</summary>
    /// <param name="needs">What of s3rver it needs, for the skip reason.</param>
    public void RequireS3rver(string needs)
    {
        Require();
        if (S3rverOnlySkipReason(EmulatorBackend.Mode, needs) is { } reason) Assert.Skip(reason);
    }

    public async ValueTask InitializeAsync()
    {
        if (EmulatorBackend.Mode == EmulatorMode.Process && ServerProcess.NpmBin("s3rver") is null)
        {
            _missing = "s3rver (npm ci)";
            return;
        }
        _server = await EmulatorBackend.StartAsync("s3", ContainerSpec.Minio, StartS3rverAsync);
        Admin = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });
    }

    private async Task<ServerProcess> StartS3rverAsync(int port)
    {
        Directory.CreateDirectory(DataDirectory);
        var (file, args, environment) = await PatchedS3rverAsync();
        environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        return await ServerProcess.StartAsync("s3rver", file,
            [.. args, "-d", Path.Combine(DataDirectory, "data"), "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-vhost-buckets", "--silent"],
            port, environment);
    }

    // Markers of every patch in tests/emulators/patch-s3rver.js (suffix ranges, empty-object ranges, serialized and atomic PUT).
    private static readonly string[] PatchMarkers = ["options.suffix", "empty objects have no satisfiable range", "_putObjectUnlocked", "atomic replace", "each file replaced atomically"];

    /// <summary>
    /// The installed s3rver when tests/emulators/patch-s3rver.js has been applied to it (test.sh does), else a private
    /// copy in the fixture's folder with the patch applied (the installed one is left alone).
    /// </summary>
    private async Task<(string File, string[] Args, Dictionary<string, string> Environment)> PatchedS3rverAsync()
    {
        var installed = new DirectoryInfo(Path.Combine(ServerProcess.RepoRoot, "node_modules", "s3rver"));
        var installedDir = installed.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? installed.FullName;
        var source = File.ReadAllText(Path.Combine(installedDir, "lib", "stores", "filesystem.js"));
        if (PatchMarkers.All(m => source.Contains(m, StringComparison.Ordinal)))
            return (ServerProcess.NpmBin("s3rver")!, [], []);
        var copy = Path.Combine(DataDirectory, "s3rver");
        CopyDirectory(installedDir, copy);
        var psi = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ServerProcess.RepoRoot };
        psi.ArgumentList.Add(Path.Combine(ServerProcess.RepoRoot, "tests", "emulators", "patch-s3rver.js"));
        psi.Environment["S3RVER_DIR"] = copy;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("patch-s3rver.js failed on a private copy of s3rver:\n" + output);
        // The copy finds s3rver's dependencies in the repository's node_modules.
        return ("node", [Path.Combine(copy, "bin", "s3rver.js")], new() { ["NODE_PATH"] = Path.Combine(ServerProcess.RepoRoot, "node_modules") });
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    /// <summary>Creates a new empty bucket and returns its name.</summary>
    public async Task<string> CreateBucketAsync(string stem = "t")
    {
        var name = $"{stem}-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid().ToString("N")[..8]}";
        await Admin.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Options for a signed store on this server.</summary>
    public S3StoreOptions Options(Action<S3StoreOptions>? configure = null)
    {
        var o = new S3StoreOptions { Endpoint = Endpoint, AccessKeyId = AccessKey, SecretAccessKey = SecretKey };
        configure?.Invoke(o);
        return o;
    }

    /// <summary>Options for an anonymous store on this server (s3rver serves anonymous requests; MinIO refuses them
    /// on its private buckets, so tests using these call <see cref="RequireS3rver"/>).</summary>
    public S3StoreOptions AnonymousOptions(Action<S3StoreOptions>? configure = null)
    {
        var o = new S3StoreOptions { Endpoint = Endpoint, Anonymous = true };
        configure?.Invoke(o);
        return o;
    }

    /// <summary>The file s3rver stores the body of <paramref name="key"/> in (process mode only: <see cref="RequireS3rver"/>).</summary>
    public string ObjectFile(string bucket, string key) => Path.Combine(DataDirectory, "data", bucket, key + "._S3rver_object");

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (DirectoryNotFoundException) { /* never created */ }
        catch (IOException) { /* best effort */ }
    }
}
