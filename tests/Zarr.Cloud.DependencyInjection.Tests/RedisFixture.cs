using System.Globalization;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>
/// A real redis-server (Debian's) on a free 127.0.0.1 port, without persistence, for the shared cache tests. When
/// redis-server is not installed, <see cref="Require"/> skips (or fails under ZARR_REQUIRE_ALL=1).
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs redis-server; ZARR_REDIS overrides it.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("ZARR_REDIS") is { Length: > 0 } p ? p : "/usr/bin/redis-server";

    private readonly TempDirectory _directory = new();
    private ServerProcess? _server;

    /// <summary>The StackExchange.Redis configuration string: <c>127.0.0.1:PORT</c>.</summary>
    public string Configuration => "127.0.0.1:" + Server.Port.ToString(CultureInfo.InvariantCulture);

    private ServerProcess Server => _server ?? throw new InvalidOperationException("redis-server is not running; call Require() first.");

    /// <summary>The running server, or a skip (a failure under ZARR_REQUIRE_ALL=1) when redis-server is not installed.</summary>
    public RedisFixture Require()
    {
        if (_server is null) Requirements.Missing("redis-server (apt-get install redis-server)");
        return this;
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable)) return;
        var port = ServerProcess.FreePort();
        _server = await ServerProcess.StartAsync("redis-server", Executable,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory.Path],
            port, timeout: TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }
}
