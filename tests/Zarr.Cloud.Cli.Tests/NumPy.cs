using System.Diagnostics;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>
/// Debian's python3 with numpy (python3-numpy), to check what the CLI writes. Missing: the test is skipped,
/// or fails when ZARR_REQUIRE_ALL=1 (CI machines that must run every check).
/// </summary>
public static class NumPy
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Problem = new(FindProblem);

    private static string? FindProblem()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed (apt-get install python3-numpy)";
        var (code, _, err) = Run("import numpy", []);
        return code == 0 ? null : $"{Python} has no numpy (apt-get install python3-numpy): {err.Trim()}";
    }

    /// <summary>Skips (or fails under ZARR_REQUIRE_ALL=1) unless python3 and numpy are there.</summary>
    public static void Require(string module = "numpy")
    {
        var problem = Problem.Value;
        if (problem is null && module != "numpy")
        {
            var (code, _, err) = Run($"import {module}", []);
            if (code != 0) problem = $"{Python} has no {module} (apt-get install python3-{module}): {err.Trim()}";
        }
        if (problem is null) return;
        if (Environment.GetEnvironmentVariable("ZARR_REQUIRE_ALL") == "1") Assert.Fail(problem + " and ZARR_REQUIRE_ALL=1");
        Assert.Skip(problem);
    }

    /// <summary>Runs a Python script with arguments; returns its standard output, failing the test on a non-zero exit.</summary>
    public static string Eval(string script, params string[] args)
    {
        var (code, output, error) = Run(script, args);
        Assert.True(code == 0, $"python3 failed ({code}): {error}");
        return output;
    }

    private static (int Code, string Out, string Error) Run(string script, string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
