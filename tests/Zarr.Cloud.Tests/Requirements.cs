namespace Zarr.Cloud.Tests;

/// <summary>
/// Tests that need an outside tool (zarr-python, node + zarrita, a fixture folder) call <see cref="Missing"/>
/// when it is not there: a failure when ZARR_REQUIRE_ALL=1 (CI sets it: nothing is skipped silently), a
/// visible skip on a developer machine.
/// </summary>
public static class Requirements
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("ZARR_REQUIRE_ALL") == "1";

    public static void Missing(string what)
    {
        var message = $"Missing: {what}. Run .ci/run or see README.md (Tests) to install it.";
        if (RequireAll) Assert.Fail(message + " (ZARR_REQUIRE_ALL=1 turns this skip into a failure)");
        Assert.Skip(message);
    }

    /// <summary>Debian's python3 with zarr 2.13 (never the pyenv one on PATH).</summary>
    public static string Python
    {
        get
        {
            var p = Environment.GetEnvironmentVariable("ZARR_PYTHON") ?? "/usr/bin/python3";
            return p;
        }
    }
}
