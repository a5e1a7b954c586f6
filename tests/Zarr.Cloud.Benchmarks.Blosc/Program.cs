using BenchmarkDotNet.Running;
using Zarr.Cloud.Benchmarks.Blosc;

if (args.Length == 2 && args[0] == "quick")
{
    Quick.Run(args[1]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Quick).Assembly).Run(args);
