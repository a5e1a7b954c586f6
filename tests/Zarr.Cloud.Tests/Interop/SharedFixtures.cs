namespace Zarr.Cloud.Tests.Interop;

/// <summary>
/// Where the public zarrita.js fixtures (written by zarr-python) live: ../shared/fixtures/zarrita beside the
/// repository, as in CI. They stay outside the repository. When absent, tests fail under CI
/// (ZARR_REQUIRE_ALL=1) and skip loudly elsewhere.
/// </summary>
public static class SharedFixtures
{
    public static string? Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("ZARR_SHARED_FIXTURES");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "zarrita");
                if (Directory.Exists(candidate)) return candidate;
                if (File.Exists(Path.Combine(dir.FullName, "Zarr.Cloud.sln")))
                {
                    var beside = Path.Combine(dir.Parent?.FullName ?? "", "shared", "fixtures", "zarrita");
                    return Directory.Exists(beside) ? beside : null;
                }
                dir = dir.Parent;
            }
            return null;
        }
    }

    public static string Require()
    {
        var root = Root;
        if (root is null) Requirements.Missing("the shared zarrita fixtures (../shared/fixtures/zarrita beside the repository, or ZARR_SHARED_FIXTURES)");
        return root!;
    }
}
