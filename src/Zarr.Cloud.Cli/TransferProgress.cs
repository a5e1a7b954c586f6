using Spectre.Console;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Cli;

/// <summary>
/// The progress bar of <c>zarr get</c> and <c>zarr copy</c>: one line on standard error (what, bar, percentage,
/// decoded bytes done of total, speed, time left), drawn by Spectre.Console only on an interactive terminal. Fed with
/// the <see cref="ZarrProgress"/> reports of the reads and copies underneath.
/// </summary>
internal sealed class TransferProgress
{
    private readonly ProgressTask _task;

    private TransferProgress(ProgressTask task) => _task = task;

    /// <summary>Whether to draw: on an interactive terminal, without <c>--no-progress</c>, unless TERM is <c>dumb</c>.</summary>
    /// <param name="interactive">Standard output and standard error are both the terminal.</param>
    /// <param name="noProgress"><c>--no-progress</c> was given.</param>
    /// <param name="term">The TERM environment variable.</param>
    public static bool ShouldShow(bool interactive, bool noProgress, string? term) => interactive && !noProgress && term != "dumb";

    /// <summary>Runs <paramref name="work"/> with a bar on standard error when <paramref name="show"/>, else with null.</summary>
    /// <param name="io">Where the command writes.</param>
    /// <param name="show">Draw the bar.</param>
    /// <param name="work">The work; it tells the bar what it does through <see cref="Begin"/>, <see cref="Block"/> and <see cref="Item"/>.</param>
    public static Task RunAsync(CliOutput io, bool show, Func<TransferProgress?, Task> work)
    {
        if (!show) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Error), Interactive = InteractionSupport.Yes });
        return RenderAsync(console, work);
    }

    /// <summary>Runs <paramref name="work"/> with a bar drawn on <paramref name="console"/>.</summary>
    /// <param name="console">The console to draw on.</param>
    /// <param name="work">The work.</param>
    internal static Task RenderAsync(IAnsiConsole console, Func<TransferProgress, Task> work) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(ctx => work(new TransferProgress(ctx.AddTask("starting", autoStart: true, maxValue: 1))));

    /// <summary>Starts the bar over for a new item (the selection, or one array of a copy).</summary>
    /// <param name="description">What is moving.</param>
    /// <param name="totalBytes">Its decoded size.</param>
    public void Begin(string description, long totalBytes)
    {
        _task.Description = Markup.Escape(description);
        _task.MaxValue = Math.Max(1, totalBytes);
        _task.Value = 0;
    }

    /// <summary>Decoded bytes of <paramref name="elements"/> elements of <paramref name="array"/>, as <see cref="ZarrProgress.BytesDone"/> counts them.</summary>
    /// <param name="array">The array.</param>
    /// <param name="elements">How many elements.</param>
    public static long DecodedBytes(ZarrArray array, long elements) => elements * (array.DataType.IsFixedSize ? array.DataType.ItemSize : 64);

    /// <summary>Starts the bar over for one array of a copy, and returns the progress its copy reports to.</summary>
    /// <param name="array">The destination array.</param>
    public IProgress<ZarrProgress> ForArray(ZarrArray array)
    {
        Begin($"copy /{array.Path}", DecodedBytes(array, array.Metadata.Shape.Aggregate(1L, (a, b) => a * b)));
        return Item();
    }

    /// <summary>A progress for one block of the item (blocks may run at once): adds the bytes each report says were done since the last.</summary>
    public IProgress<ZarrProgress> Block() => new BlockDelta(_task);

    /// <summary>A progress for the whole item: sets the bar to the bytes the reports say are done.</summary>
    public IProgress<ZarrProgress> Item() => new ItemValue(_task);

    private sealed class BlockDelta(ProgressTask task) : IProgress<ZarrProgress>
    {
        private long _last;

        public void Report(ZarrProgress value)
        {
            task.Increment(value.BytesDone - _last);
            _last = value.BytesDone;
        }
    }

    private sealed class ItemValue(ProgressTask task) : IProgress<ZarrProgress>
    {
        public void Report(ZarrProgress value) => task.Value = value.BytesDone;
    }
}
