using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// Debian's nginx serving one folder read-only on a free port of 127.0.0.1 (static files, Range, keep-alive), in
/// a temporary prefix; killed with its workers on dispose. The test suite's NginxFixture does the same with DAV and
/// error locations.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxServer(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    /// <summary>The port nginx listens on.</summary>
    public int Port { get; }

    /// <summary>Starts nginx (<c>ZARR_NGINX</c> or /usr/sbin/nginx) serving <paramref name="root"/>; waits until it accepts connections.</summary>
    public static async Task<NginxServer> StartAsync(string root)
    {
        var executable = Environment.GetEnvironmentVariable("ZARR_NGINX") is { Length: > 0 } p ? p : "/usr/sbin/nginx";
        if (!File.Exists(executable)) throw new InvalidOperationException($"nginx is not installed at {executable} (apt-get install nginx)");
        var prefix = Path.Combine(Path.GetTempPath(), $"zarr-bench-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        int port = FreePort();
        var conf = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            worker_processes 1;
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            pid {{prefix}}/nginx.pid;
            error_log stderr warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              log_not_found off;
              client_body_temp_path {{prefix}}/tmp;
              proxy_temp_path {{prefix}}/tmp;
              fastcgi_temp_path {{prefix}}/tmp;
              uwsgi_temp_path {{prefix}}/tmp;
              scgi_temp_path {{prefix}}/tmp;
              types { }
              default_type application/octet-stream;
              sendfile on;
              tcp_nodelay on;
              keepalive_requests 1000000;
              keepalive_timeout 300s;
              server {
                listen 127.0.0.1:{{port}} backlog=1024;
                root {{root}};
              }
            }
            """).ConfigureAwait(false);
        var psi = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-p", prefix, "-c", conf, "-e", "stderr" }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {executable}");
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"nginx: {line}"); };
        process.BeginErrorReadLine();
        var server = new NginxServer(process, prefix, port);
        for (var sw = Stopwatch.StartNew(); ; await Task.Delay(50).ConfigureAwait(false))
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited with {process.ExitCode} (configuration {conf})");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return server;
            }
            catch (SocketException) when (sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                // not listening yet
            }
        }
    }

    /// <summary>A port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        try { Directory.Delete(_prefix, recursive: true); }
        catch (IOException) { /* a temp folder: best effort */ }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"nginx on 127.0.0.1:{Port}");
}
