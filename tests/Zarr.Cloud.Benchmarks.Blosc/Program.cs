using BenchmarkDotNet.Running;
using Zarr.Cloud.Benchmarks.Blosc;

if (args.Length == 1 && args[0] == "quick")
{
    Quick.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Quick).Assembly).Run(args);
