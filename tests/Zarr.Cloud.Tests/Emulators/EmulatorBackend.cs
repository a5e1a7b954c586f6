using System.Diagnostics;
using System.Globalization;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>How the cloud emulators of the tests run.</summary>
public enum EmulatorMode
{
    /// <summary>As local processes from npm (Azurite, s3rver, the firebase-tools GCS emulator): this repository's CI, no Docker.</summary>
    Process,

    /// <summary>As containers started by Testcontainers (MinIO, Azurite, fake-gcs-server): GitHub Actions, a laptop with Docker.</summary>
    Docker,
}

/// <summary>A container image and how to run it, for <see cref="EmulatorBackend.StartAsync"/> in <see cref="EmulatorMode.Docker"/>.</summary>
/// <param name="Image">The image, with a tag.</param>
/// <param name="Port">The port the service listens on inside the container.</param>
/// <param name="Command">The command arguments.</param>
/// <param name="Environment">Environment variables.</param>
public sealed record ContainerSpec(string Image, int Port, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>MinIO (S3). Credentials: <see cref="MinioUser"/> / <see cref="MinioPassword"/> (test-only values).</summary>
    public static ContainerSpec Minio { get; } = new("minio/minio:RELEASE.2025-04-22T22-12-26Z", 9000, ["server", "/data"],
        new Dictionary<string, string> { ["MINIO_ROOT_USER"] = MinioUser, ["MINIO_ROOT_PASSWORD"] = MinioPassword });

    /// <summary>Azurite's blob service; the well-known development account (devstoreaccount1) as with the npm Azurite.</summary>
    public static ContainerSpec Azurite { get; } = new("mcr.microsoft.com/azure-storage/azurite:3.37.0", 10000,
        ["azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"]);

    /// <summary>fake-gcs-server over plain http, in memory; buckets are created through its JSON API.</summary>
    public static ContainerSpec FakeGcs { get; } = new("fsouza/fake-gcs-server:1.49.3", 4443, ["-scheme", "http", "-port", "4443", "-backend", "memory"]);

    /// <summary>The MinIO user of <see cref="Minio"/> (a test value, not a secret).</summary>
    public const string MinioUser = "zarrcloud";

    /// <summary>The MinIO password of <see cref="Minio"/> (a test value, not a secret).</summary>
    public const string MinioPassword = "zarrcloud-test-password";
}

/// <summary>An emulator started by <see cref="EmulatorBackend.StartAsync"/>: where it listens and how it runs.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly IAsyncDisposable _lifetime;

    internal RunningEmulator(EmulatorMode mode, string host, int port, IAsyncDisposable lifetime)
    {
        Mode = mode;
        Host = host;
        Port = port;
        _lifetime = lifetime;
    }

    /// <summary>Process or Docker: fixtures pick credentials and quirks by it (s3rver vs MinIO, firebase vs fake-gcs-server).</summary>
    public EmulatorMode Mode { get; }

    /// <summary>The host to connect to (127.0.0.1 for processes; Docker's host for containers).</summary>
    public string Host { get; }

    /// <summary>The port on <see cref="Host"/>.</summary>
    public int Port { get; }

    /// <summary><c>http://Host:Port/</c>.</summary>
    public Uri Endpoint => new($"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public ValueTask DisposeAsync() => _lifetime.DisposeAsync();
}

/// <summary>
/// The one place that decides whether the cloud emulators run as local processes (npm/apt, as this repository's CI
/// does: no Docker there) or as containers started by Testcontainers' generic <see cref="ContainerBuilder"/> (GitHub
/// Actions, a laptop). ZARR_EMULATORS chooses: <c>process</c>, <c>docker</c>, or <c>auto</c> (the default: docker when
/// <c>docker info</c> succeeds, else process). nginx for the HTTP tests is a process in both modes (apt's nginx).
/// </summary>
public static class EmulatorBackend
{
    /// <summary>The environment variable that chooses.</summary>
    public const string Variable = "ZARR_EMULATORS";

    private static readonly Lazy<EmulatorMode> Chosen = new(() => Decide(Environment.GetEnvironmentVariable(Variable), () => DockerIsAvailable()));

    /// <summary>The mode of this test run (decided once).</summary>
    public static EmulatorMode Mode => Chosen.Value;

    /// <summary>
    /// The decision: <paramref name="setting"/> is ZARR_EMULATORS; <paramref name="dockerIsAvailable"/> is asked only for
    /// <c>auto</c> (or no setting).
    /// </summary>
    /// <param name="setting">process, docker, auto, or null/empty for auto (case and surrounding spaces ignored).</param>
    /// <param name="dockerIsAvailable">Whether a Docker engine answers.</param>
    /// <exception cref="ArgumentException">Any other setting.</exception>
    public static EmulatorMode Decide(string? setting, Func<bool> dockerIsAvailable)
    {
        ArgumentNullException.ThrowIfNull(dockerIsAvailable);
        return (setting ?? "").Trim().ToLowerInvariant() switch
        {
            "process" => EmulatorMode.Process,
            "docker" => EmulatorMode.Docker,
            "" or "auto" => dockerIsAvailable() ? EmulatorMode.Docker : EmulatorMode.Process,
            _ => throw new ArgumentException($"{Variable}='{setting}' is not one of process, docker, auto.", nameof(setting)),
        };
    }

    /// <summary>True when <c>docker info</c> exits 0 within <paramref name="timeout"/> (a docker CLI without an engine fails).</summary>
    /// <param name="docker">The docker command (default "docker" on PATH).</param>
    /// <param name="timeout">How long to wait (default 20 s).</param>
    public static bool DockerIsAvailable(string docker = "docker", TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(docker) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("info");
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return false;
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(20)))
            {
                p.Kill(entireProcessTree: true);
                return false;
            }
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker CLI
        }
    }

    /// <summary>
    /// Starts an emulator the way <see cref="Mode"/> says: <paramref name="startProcess"/> with a free port, or
    /// <paramref name="container"/> through Testcontainers, ready when it answers HTTP.
    /// </summary>
    /// <param name="name">What it is, for messages.</param>
    /// <param name="container">The container to run in Docker mode.</param>
    /// <param name="startProcess">Starts the local process on the given port (ServerProcess.StartAsync), in Process mode.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<RunningEmulator> StartAsync(string name, ContainerSpec container, Func<int, Task<ServerProcess>> startProcess, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(startProcess);
        if (Mode == EmulatorMode.Process)
        {
            var server = await startProcess(ServerProcess.FreePort());
            return new RunningEmulator(EmulatorMode.Process, "127.0.0.1", server.Port, server);
        }
        var started = await StartContainerAsync(container, cancellationToken);
        try
        {
            var port = started.GetMappedPublicPort(container.Port);
            await WaitForHttpAsync(name, started.Hostname, port, cancellationToken);
            return new RunningEmulator(EmulatorMode.Docker, started.Hostname, port, started);
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private static async Task<IContainer> StartContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var builder = new ContainerBuilder(spec.Image)
            .WithPortBinding(spec.Port, assignRandomHostPort: true)
            .WithCommand([.. spec.Command])
            .WithWaitStrategy(Wait.ForUnixContainer().UntilExternalTcpPortIsAvailable(spec.Port));
        foreach (var (k, v) in spec.Environment ?? new Dictionary<string, string>()) builder = builder.WithEnvironment(k, v);
        var container = builder.Build();
        await container.StartAsync(cancellationToken);
        return container;
    }

    /// <summary>Docker's port proxy accepts connections before the service listens: wait for an HTTP answer (any status).</summary>
    private static async Task WaitForHttpAsync(string name, string host, int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}/"), cancellationToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not answer HTTP on {host}:{port} within 90 s", e);
                await Task.Delay(250, cancellationToken);
            }
        }
    }
}
