using System.CommandLine;
using Zarr.Cloud.Cli.Commands;

namespace Zarr.Cloud.Cli;

/// <summary>
/// The <c>zarr</c> command-line tool: <c>info</c>, <c>tree</c>, <c>get</c> and <c>copy</c> over any URL the SDK
/// resolves. Errors are one line on standard error (<c>zarr: error: ...</c>), exit code 2 for usage errors and 1
/// for others; <c>--verbose</c> adds the stack trace.
/// </summary>
public static class Program
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

    /// <summary>Runs the tool in-process, writing to the given writers (what tests call).</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code: 0 on success, 2 for usage errors, 1 for other failures.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        bool interactive = ReferenceEquals(stdout, Console.Out) && ReferenceEquals(stderr, Console.Error) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        var io = new CliOutput(stdout, stderr, interactive);
        var global = new GlobalOptions();
        var root = new RootCommand("zarr: inspect, read and copy Zarr v2 and v3 arrays and groups, local or in the cloud.");
        global.AddTo(root);
        root.Subcommands.Add(InfoCommand.Create(global, io));
        root.Subcommands.Add(TreeCommand.Create(global, io));
        root.Subcommands.Add(GetCommand.Create(global, io));
        root.Subcommands.Add(CopyCommand.Create(global, io));

        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0) return ErrorReport.WriteUsage(parsed.Errors[0].Message, stderr);
        bool verbose = parsed.GetValue(global.Verbose);
        try
        {
            var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return ErrorReport.Write(e, verbose, stderr);
        }
        finally
        {
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
