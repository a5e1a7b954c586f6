using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Zarr.Cloud.Benchmarks.Blosc;

/// <summary>One launch, 3 warm-ups, 10 measured iterations (enough for these steady loops, short on a 2-core machine); Min and Median shown.</summary>
public sealed class BloscBenchConfig : ManualConfig
{
    public BloscBenchConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
        // on a shared machine the minimum is the steadiest figure; both sides are read the same way
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
    }
}
