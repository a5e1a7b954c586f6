using System.CommandLine;

namespace Zarr.Cloud.Cli;

/// <summary>Options of the commands that move data (get, copy): statistics, concurrency, block size, progress bar.</summary>
internal sealed class TransferOptions
{
    /// <summary><c>--stats</c>.</summary>
    public Option<bool> Stats { get; } = new("--stats") { Description = "Print 'requests=N bytes=M seconds=S' (requests to the source store, bytes read, wall time) as the last line on standard error." };

    /// <summary><c>--concurrency</c>.</summary>
    public Option<int> Concurrency { get; } = new("--concurrency") { HelpName = "N",  Description = "How many chunks are fetched and decoded at once.", DefaultValueFactory = _ => 16 };

    /// <summary><c>--block-bytes</c>: the size of the blocks the data moves in (hidden; for tests and tuning).</summary>
    public Option<long> BlockBytes { get; } = new("--block-bytes") { HelpName = "BYTES",  Description = "Bytes of decoded data held per block.", DefaultValueFactory = _ => ArrayBlocks.DefaultBlockBytes, Hidden = true };

    /// <summary><c>--no-progress</c>.</summary>
    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Draw no progress bar (none is drawn anyway unless standard output and standard error are both a terminal)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(Stats);
        command.Options.Add(Concurrency);
        command.Options.Add(BlockBytes);
        command.Options.Add(NoProgress);
    }

    /// <summary>True when a progress bar is drawn: an interactive terminal, no <c>--no-progress</c>, and TERM is not <c>dumb</c>.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="io">Where the command writes.</param>
    public bool ShowProgress(ParseResult result, CliOutput io) => TransferProgress.ShouldShow(io.Interactive, result.GetValue(NoProgress), Environment.GetEnvironmentVariable("TERM"));

    /// <summary>The block size, checked.</summary>
    /// <param name="result">The parse result.</param>
    public long GetBlockBytes(ParseResult result)
    {
        var b = result.GetValue(BlockBytes);
        if (b < 1) throw new UsageException($"--block-bytes must be positive, got {b}");
        return b;
    }
}
