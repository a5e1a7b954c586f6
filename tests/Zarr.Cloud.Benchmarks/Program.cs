using BenchmarkDotNet.Running;
using Zarr.Cloud.Benchmarks;

// Two modes:
//   bdn [BenchmarkDotNet arguments]         micro benchmarks, e.g. bdn --filter '*'
//   read-local [--size-mib 512] [...]       end-to-end read of a local array, side by side with zarr-python 2.13
//   remote [--rounds 5] [...]               cold reads over HTTP with 20 ms per request, side by side with zarr-python 2.13 + fsspec
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "read-local")
{
    return await ReadLocalHarness.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "blosc-quick")
{
    Zarr.Cloud.Benchmarks.Blosc.BloscQuick.Run();
    return 0;
}
if (args.Length > 0 && args[0] == "blosc-array")
{
    await Zarr.Cloud.Benchmarks.Blosc.BloscQuickArray.RunAsync().ConfigureAwait(false);
    return 0;
}
if (args.Length > 0 && args[0] == "stream-memory")
{
    return await StreamMemoryHarness.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "remote")
{
    return await RemoteHarness.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "latency-proxy")
{
    return await LatencyProxy.RunChildAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "sharded")
{
    return await ShardedHarness.RunAsync(args[1..]).ConfigureAwait(false);
}
Console.Error.WriteLine("""
    usage:
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- bdn --filter '*'
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- read-local [--size-mib 512] [--rounds 5] [--data /tmp/zarr-bench] [--python /usr/bin/python3] [--concurrency N] [--decimals N] [--wait-idle SECONDS] [--breakdown]
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- remote [--rounds 5] [--delay-ms 20] [--concurrency 64] [--only series|all] [--point 190,400] [--lat 360] [--lon 720] [--data /tmp/zarr-bench] [--python /usr/bin/python3] [--wait-idle SECONDS]
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- sharded [--size 512] [--inner 64] [--rounds 5] [--data /tmp/zarr-bench]
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- stream-memory [--size-mib 2048] [--rounds 3] [--max-mib 64] [--data /tmp/zarr-bench] [--python /usr/bin/python3] [--concurrency N]
      dotnet run -c Release --project tests/Zarr.Cloud.Benchmarks -- blosc-quick | blosc-array   (Blosc: quick side-by-side with libblosc; BLOSC_BENCH_DIR)
    """);
return 2;
