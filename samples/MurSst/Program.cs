using System.Globalization;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.MurSst;

/// <summary>
/// Prints the sea surface temperature in °C at the grid point nearest a latitude and longitude, one line per day of a
/// date range, from the public MUR SST Zarr store on S3 (read anonymously) or any dataset laid out like it:
/// <c>dotnet run --project samples/MurSst -- --lat 35.5 --lon -120.25 --from 2020-01-01 --to 2020-01-31</c>.
/// Exit code 0 on success, 2 for bad arguments or a point or date outside the dataset, 1 for other failures.
/// </summary>
public static class MurSstProgram
{
    /// <summary>The process entry point.</summary>
    /// <param name="args">The command line.</param>
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>Runs the sample, writing to the given writers.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where the series goes: comment lines starting with '#', then "DATE VALUE" lines.</param>
    /// <param name="stderr">Where errors (and with --stats, request counts) go.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        MurSstQuery query;
        try
        {
            query = MurSstQuery.Parse(args);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"MurSst: error: {e.Message}\n{MurSstQuery.Usage}").ConfigureAwait(false);
            return 2;
        }
        try
        {
            var series = await SstTimeSeries.ReadAsync(query, cancellationToken).ConfigureAwait(false);
            var inv = CultureInfo.InvariantCulture;
            await stdout.WriteLineAsync(string.Create(inv, $"# {query.Variable} at lat {query.Latitude}, lon {query.Longitude}: nearest grid point lat {series.Latitude:0.####}, lon {series.Longitude:0.####}")).ConfigureAwait(false);
            await stdout.WriteLineAsync("# date        sst_celsius").ConfigureAwait(false);
            foreach (var v in series.Values)
                await stdout.WriteLineAsync(string.Create(inv, $"{v.Date:yyyy-MM-dd}  {(v.Celsius is { } c ? c.ToString("0.000", inv) : "missing")}")).ConfigureAwait(false);
            if (query.Stats)
                await stderr.WriteLineAsync(string.Create(inv, $"requests: {series.SeriesRequests} for the time series ({series.Values.Count} days), {series.TotalRequests} in all")).ConfigureAwait(false);
            return 0;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"MurSst: error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is IOException or FormatException or StoreException)
        {
            await stderr.WriteLineAsync($"MurSst: error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
