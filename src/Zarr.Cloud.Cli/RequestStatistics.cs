using System.Diagnostics;
using System.Globalization;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli;

/// <summary>
/// What <c>--stats</c> prints as the last line on standard error: <c>requests=N bytes=M seconds=S</c>, the
/// requests made to the source store, the bytes it returned, and the wall time of the command.
/// </summary>
internal sealed class RequestStatistics
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The line for <paramref name="store"/>'s counters.</summary>
    /// <param name="store">The instrumented source store.</param>
    public string Line(InstrumentedStore store) =>
        string.Create(CultureInfo.InvariantCulture, $"requests={store.Requests} bytes={store.BytesRead} seconds={_clock.Elapsed.TotalSeconds:F3}");
}
