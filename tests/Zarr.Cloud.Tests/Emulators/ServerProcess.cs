using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>
/// A real server (Azurite, s3rver, the GCS emulator, nginx) started by a test fixture on 127.0.0.1: started as a
/// process, ready when its port accepts connections, killed with its children on dispose. A server that exits
/// early or never listens is a failure that shows its output.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
    }

    /// <summary>What the server is, for messages.</summary>
    public string Name { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>What it has printed so far (the last 64 KiB).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>A port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The repository root (where Zarr.Cloud.sln is).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zarr.Cloud.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Zarr.Cloud.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>An executable installed by npm in the repository (node_modules/.bin), or null.</summary>
    /// <param name="name">The command name.</param>
    public static string? NpmBin(string name)
    {
        var p = Path.Combine(RepoRoot, "node_modules", ".bin", name);
        return File.Exists(p) ? p : null;
    }

    /// <summary>Starts <paramref name="file"/> and waits until 127.0.0.1:<paramref name="port"/> accepts connections.</summary>
    /// <param name="name">What the server is.</param>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="port">The port it will listen on.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="timeout">How long it may take to listen (default 60 s).</param>
    public static async Task<ServerProcess> StartAsync(string name, string file, IEnumerable<string> args, int port, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"{name}: could not start {file}");
        var server = new ServerProcess(process, name, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} before listening on port {port}:\n{server.Output}");
            }
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"{name} did not listen on 127.0.0.1:{port} within {timeout ?? TimeSpan.FromSeconds(60)}:\n{server.Output}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 65536) _output.Remove(0, _output.Length - 65536);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (TimeoutException)
        {
            // it did not die in time; the test run's end takes it
        }
        _process.Dispose();
    }
}
