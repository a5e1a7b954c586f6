using System.Diagnostics;

namespace Zarr.Cloud.Tests.Interop;

/// <summary>Runs the reference implementations (Debian's zarr-python, zarrita.js on node) as processes.</summary>
public static class ExternalTools
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zarr.Cloud.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Zarr.Cloud.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Script(string name) => Path.Combine(RepoRoot, "tests", "interop", name);

    /// <summary>Debian's python3 with zarr 2.13, or a skip/failure naming what to install.</summary>
    public static string RequirePython()
    {
        var python = Requirements.Python;
        var (code, _, _) = Run(python, ["-c", "import zarr, numcodecs, numpy"], TimeSpan.FromSeconds(60), allowMissing: true);
        if (code != 0) Requirements.Missing($"zarr-python 2.13 for {python} (apt-get install python3-zarr)");
        return python;
    }

    /// <summary>node with zarrita installed by npm ci in the repository root, or a skip/failure.</summary>
    public static string RequireNode()
    {
        var (code, _, _) = Run("node", ["--version"], TimeSpan.FromSeconds(30), allowMissing: true);
        if (code != 0) Requirements.Missing("node (Node.js 20)");
        if (!Directory.Exists(Path.Combine(RepoRoot, "node_modules", "zarrita"))) Requirements.Missing("zarrita.js (run npm ci in the repository root)");
        return "node";
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(string file, IEnumerable<string> args, TimeSpan timeout, bool allowMissing = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception) when (allowMissing)
        {
            return (-1, "", $"{file} not found");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    public static string RunOk(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var list = args.ToList();
        var (code, stdout, stderr) = Run(file, list, timeout ?? TimeSpan.FromMinutes(2));
        if (code != 0) Assert.Fail($"{file} {string.Join(' ', list)} exited {code}\n{stdout}\n{stderr}");
        return stdout;
    }

    public static string NewTempDir(string label)
    {
        var d = Path.Combine(Path.GetTempPath(), $"zarrcloud-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }
}
