using System.Diagnostics;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>
/// The inputs both sides decode: written by blosc_side_by_side.py (the C library) into BLOSC_BENCH_DIR, by default
/// a folder under the temporary folder; the script is run when they are not there yet.
/// </summary>
public static class BloscBenchData
{
    public static string Dir
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("BLOSC_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "zarr-cloud-blosc-bench");
            if (!File.Exists(Path.Combine(dir, "c_results.json")))
            {
                var script = Path.Combine(AppContext.BaseDirectory, "blosc_side_by_side.py");
                var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, dir]) { UseShellExecute = false })!;
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({p.ExitCode}): /usr/bin/python3 with python3-blosc, numcodecs and zarr is needed");
            }
            return dir;
        }
    }

    /// <summary>Bytes that stay put (pinned), so timings do not include moving them.</summary>
    public static byte[] Pinned(int length) => GC.AllocateUninitializedArray<byte>(length, pinned: true);
}
