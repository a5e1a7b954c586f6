using System.Globalization;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>
/// A real nginx (Debian's, with the DAV module) on a free 127.0.0.1 port, serving a temporary folder, for the
/// <see cref="Zarr.Cloud.Storage.HttpStore"/> tests. Locations:
/// <list type="bullet">
/// <item><c>/</c>: <see cref="Root"/>, writable with WebDAV PUT and DELETE (parent folders created on PUT);</item>
/// <item><c>/norange/</c>: the same folder, but nginx ignores Range (<c>max_ranges 0</c>): every GET answers 200
/// with the whole value;</item>
/// <item><c>/readonly/</c>: the same folder without DAV (PUT and DELETE answer 405);</item>
/// <item><c>/status/NNN/</c> for 403, 429, 500 and 503: that status for every request.</item>
/// </list>
/// Other folders are served by linking them into <see cref="Root"/> (<see cref="Link"/>); nginx follows links.
/// When nginx is not installed, <see cref="Require"/> skips (or fails under CI).
/// </summary>
public sealed class NginxFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs nginx; ZARR_NGINX overrides it.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("ZARR_NGINX") is { Length: > 0 } p ? p : "/usr/sbin/nginx";

    private readonly string _prefix = Path.Combine(Path.GetTempPath(), $"zarrcloud-nginx-{Guid.NewGuid():N}");
    private ServerProcess? _server;

    /// <summary>The folder nginx serves at <c>/</c>.</summary>
    public string Root => Path.Combine(_prefix, "root");

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Server.Port.ToString(CultureInfo.InvariantCulture)}/");

    private ServerProcess Server => _server ?? throw new InvalidOperationException("nginx is not running; call Require() first.");

    /// <summary>The running server, or a skip (a failure under ZARR_REQUIRE_ALL=1) when nginx is not installed.</summary>
    public NginxFixture Require()
    {
        if (_server is null) Requirements.Missing("nginx (apt-get install nginx)");
        return this;
    }

    /// <summary>The URL of a location below the root, e.g. <c>Url("norange/abc/")</c>.</summary>
    /// <param name="relative">A path relative to <c>/</c>.</param>
    public Uri Url(string relative) => new(BaseUri, relative);

    /// <summary>Serves <paramref name="folder"/> at <c>/<paramref name="name"/>/</c> (a symbolic link in <see cref="Root"/>).</summary>
    /// <param name="name">One path segment.</param>
    /// <param name="folder">The folder to serve.</param>
    public Uri Link(string name, string folder)
    {
        var link = Path.Combine(Root, name);
        if (!Directory.Exists(link)) Directory.CreateSymbolicLink(link, Path.GetFullPath(folder));
        return Url(name + "/");
    }

    /// <summary>The configuration; <paramref name="runAsRoot"/> adds <c>user root;</c> (workers would otherwise run as nobody, who cannot write the temporary root).</summary>
    /// <param name="prefix">The nginx prefix folder (temporary files, pid).</param>
    /// <param name="root">The served folder.</param>
    /// <param name="port">The port.</param>
    /// <param name="runAsRoot">True when the tests run as root.</param>
    internal static string Configuration(string prefix, string root, int port, bool runAsRoot)
    {
        string[] statuses = ["403", "429", "500", "503"];
        var statusLocations = string.Concat(statuses.Select(s => $"    location ^~ /status/{s}/ {{ return {s}; }}\n"));
        return $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            {{(runAsRoot ? "user root;" : "")}}
            pid {{prefix}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 512; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/tmp/body;
              proxy_temp_path {{prefix}}/tmp/proxy;
              fastcgi_temp_path {{prefix}}/tmp/fastcgi;
              uwsgi_temp_path {{prefix}}/tmp/uwsgi;
              scgi_temp_path {{prefix}}/tmp/scgi;
              types { }
              default_type application/octet-stream;
              client_max_body_size 0;
              keepalive_requests 100000;
              server {
                listen 127.0.0.1:{{port}};
                root {{root}};
                location / {
                  dav_methods PUT DELETE;
                  create_full_put_path on;
                  min_delete_depth 1;
                  dav_access user:rw group:r all:r;
                }
                location /norange/ {
                  alias {{root}}/;
                  max_ranges 0;
                  dav_methods PUT DELETE;
                  create_full_put_path on;
                  dav_access user:rw group:r all:r;
                }
                location /readonly/ {
                  alias {{root}}/;
                }
            {{statusLocations}}  }
            }
            """;
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable)) return;
        Directory.CreateDirectory(Root);
        foreach (var d in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(_prefix, "tmp", d));
        var port = ServerProcess.FreePort();
        var conf = Path.Combine(_prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, Configuration(_prefix, Root, port, Environment.UserName == "root"));
        // -e stderr: nginx opens its default error log before reading the configuration; keep it off /var/log.
        _server = await ServerProcess.StartAsync("nginx", Executable, ["-p", _prefix, "-c", conf, "-e", "stderr"], port, timeout: TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(_prefix, recursive: true); }
        catch (IOException) { /* best effort: a temp folder */ }
        catch (UnauthorizedAccessException) { /* as above */ }
    }
}
