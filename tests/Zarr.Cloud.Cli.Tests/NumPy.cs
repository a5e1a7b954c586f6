using Zarr.Cloud.Tests.Interop;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>
/// Debian's python3 with numpy and zarr-python 2.13 (ZARR_PYTHON overrides the path), to check what the CLI
/// writes. Missing: the test is skipped, or fails under ZARR_REQUIRE_ALL=1 (CI).
/// </summary>
public static class NumPy
{
    /// <summary>Skips the test (fails it under ZARR_REQUIRE_ALL=1) unless python3 with numpy and zarr is there.</summary>
    public static void Require() => ExternalTools.RequirePython();

    /// <summary>Runs a Python script with arguments; returns its standard output, failing the test on a non-zero exit.</summary>
    public static string Eval(string script, params string[] args) => ExternalTools.RunOk(ExternalTools.RequirePython(), ["-c", script, .. args]);
}
