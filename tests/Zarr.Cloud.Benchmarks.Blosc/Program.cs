using BenchmarkDotNet.Running;
using Zarr.Cloud.Benchmarks.Blosc;

if (args.Length == 1 && args[0] == "quick")
{
    Quick.Run();
    return;
}
if (args.Length == 1 && args[0] == "quick-array")
{
    await QuickArray.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Quick).Assembly).Run(args);
