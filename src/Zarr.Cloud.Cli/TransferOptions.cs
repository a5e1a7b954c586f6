using System.CommandLine;

namespace Zarr.Cloud.Cli;

/// <summary>Options of the commands that move data (get, copy): statistics, concurrency, block size.</summary>
internal sealed class TransferOptions
{
    /// <summary><c>--stats</c>.</summary>
    public Option<bool> Stats { get; } = new("--stats") { Description = "Print 'requests=N bytes=M seconds=S' (requests to the source store, bytes read, wall time) as the last line on standard error." };

    /// <summary><c>--concurrency</c>.</summary>
    public Option<int> Concurrency { get; } = new("--concurrency") { HelpName = "N",  Description = "How many chunks are fetched and decoded at once.", DefaultValueFactory = _ => 16 };

    /// <summary><c>--block-bytes</c>: the size of the blocks the data moves in (hidden; for tests and tuning).</summary>
    public Option<long> BlockBytes { get; } = new("--block-bytes") { HelpName = "BYTES",  Description = "Bytes of decoded data held per block.", DefaultValueFactory = _ => ArrayBlocks.DefaultBlockBytes, Hidden = true };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Options.Add(Stats);
        command.Options.Add(Concurrency);
        command.Options.Add(BlockBytes);
    }

    /// <summary>The block size, checked.</summary>
    /// <param name="result">The parse result.</param>
    public long GetBlockBytes(ParseResult result)
    {
        var b = result.GetValue(BlockBytes);
        if (b < 1) throw new UsageException($"--block-bytes must be positive, got {b}");
        return b;
    }
}
