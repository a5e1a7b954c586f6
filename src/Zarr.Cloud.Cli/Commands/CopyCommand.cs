using System.CommandLine;
using System.Globalization;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Cli.Copying;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Commands;

/// <summary>
/// <c>zarr copy SRC DST [--format 2|3] [--chunks a,b,...] [--codec ...] [--overwrite] [--partition i/N]</c>: copies an
/// array or a whole group, converting format, chunks and compressor on the way, in bounded memory; with
/// <c>--partition</c>, one of N workers' share of the chunks.
/// </summary>
internal static class CopyCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="global">The global options.</param>
    /// <param name="io">Where to write.</param>
    public static Command Create(GlobalOptions global, CliOutput io)
    {
        var src = UrlArgument.Create("SRC", "The array or group to copy: a local path, file://, or a URL of a registered store.");
        var dst = UrlArgument.Create("DST", "Where to write the copy; it must not exist unless --overwrite.");
        var format = new Option<int?>("--format") { HelpName = "2|3",  Description = "The destination's Zarr format, 2 or 3 (default: the source's)." };
        var chunks = new Option<string?>("--chunks") { HelpName = "a,b,...",  Description = "The destination's chunk shape, e.g. 100,200 (default: the source's; for one array only)." };
        var codec = new Option<string?>("--codec") { HelpName = "CODEC",  Description = "The destination's compressor: none, gzip, gzip:LEVEL, zstd, zstd:LEVEL, zlib or zlib:LEVEL (default: the source's)." };
        var shards = new Option<string?>("--shards") { HelpName = "a,b,...", Description = "Write v3 shards of this shape (a multiple of the chunk shape), each holding many chunks and an index; needs --format 3 or a v3 source." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing Zarr array or group at DST." };
        var partition = new Option<string?>("--partition") { HelpName = "i/N", Description = "Copy only the i-th of N disjoint sets of DST's chunks (shards when sharded), 0 <= i < N, so that N workers copy one dataset together into the same DST (worker 0 also writes the groups and consolidated metadata)." };
        var transfer = new TransferOptions();
        var command = new Command("copy", "Copy an array or a whole group (attributes kept), converting Zarr format, chunks and compressor, in bounded memory.") { src, dst, format, chunks, codec, shards, overwrite, partition };
        transfer.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var statistics = new RequestStatistics();
            int concurrency = result.GetValue(transfer.Concurrency);
            var sourceOptions = global.OpenOptions(result, readOnly: true, concurrency);
            var destinationOptions = global.OpenOptions(result, readOnly: false, concurrency);
            var zarrFormat = result.GetValue(format);
            if (zarrFormat is not (null or 2 or 3)) throw new UsageException($"--format must be 2 or 3, got {zarrFormat}");
            var chunkText = result.GetValue(chunks);
            var codecText = result.GetValue(codec);
            var shardText = result.GetValue(shards);
            var part = result.GetValue(partition) is { } partText ? CopyPartition.Parse(partText) : null;
            if (part is not null && result.GetValue(overwrite))
                throw new UsageException("--overwrite cannot be used with --partition: the workers share DST, and one would delete what the others wrote; clear DST before starting them");
            var settings = new CopySettings(zarrFormat, chunkText is null ? null : ParseChunks(chunkText, "--chunks"), codecText is null ? null : CompressorChoice.Parse(codecText), transfer.GetBlockBytes(result),
                shardText is null ? null : ParseChunks(shardText, "--shards"), part);

            var source = StoreLocator.Resolve(result.GetValue(src)!, sourceOptions, result.GetValue(transfer.Stats));
            var node = await source.OpenAsync(sourceOptions, ct).ConfigureAwait(false);
            if ((settings.ChunkShape is not null || settings.ShardShape is not null) && node is ZarrGroup)
                throw new UsageException("--chunks and --shards apply to one array and SRC is a group: copy its arrays one by one to rechunk them");
            var destination = StoreLocator.Resolve(result.GetValue(dst)!, destinationOptions, instrument: false);
            CheckNoOverlap(source, destination);
            // The workers of a partitioned copy share DST: it may already hold what the others wrote.
            if (part is null) await PrepareDestinationAsync(destination, result.GetValue(overwrite), ct).ConfigureAwait(false);

            bool bar = transfer.ShowProgress(result, io);
            using var log = new StringWriter(); // under a bar, what was copied is printed when the bar is done
            await TransferProgress.RunAsync(io, bar, progress =>
                new HierarchyCopier(destination.Store, settings, destinationOptions, bar ? log : io.Out) { ArrayProgress = progress is null ? null : progress.ForArray }
                    .CopyAsync(node, destination.Path, ct)).ConfigureAwait(false);
            io.Out.Write(log.ToString());
            if (source.Statistics is { } s) io.Error.WriteLine(statistics.Line(s));
            return 0;
        });
        return command;
    }

    private static int[] ParseChunks(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] < 1)
                throw new UsageException($"bad {option} '{text}': '{parts[i]}' is not a positive integer");
        }
        return result;
    }

    private static void CheckNoOverlap(StoreLocator source, StoreLocator destination)
    {
        if (source.LocalFolder is not { } a || destination.LocalFolder is not { } b) return;
        a = a.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        b = b.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal))
            throw new UsageException($"SRC '{source.Url}' and DST '{destination.Url}' overlap: copy to a folder outside the source");
    }

    /// <summary>Refuses an existing destination, or with <paramref name="overwrite"/> deletes it when it is a Zarr node.</summary>
    private static async Task PrepareDestinationAsync(StoreLocator destination, bool overwrite, CancellationToken ct)
    {
        var prefix = destination.Path.Length == 0 ? "" : destination.Path + "/";
        bool exists = false;
        await foreach (var _ in destination.Store.ListAsync(prefix, ct).ConfigureAwait(false))
        {
            exists = true;
            break;
        }
        if (!exists) return;
        if (!overwrite) throw new IOException($"DST '{destination.Url}' already exists: pass --overwrite to replace it");
        bool isNode = false;
        foreach (var name in new[] { "zarr.json", ".zarray", ".zgroup" })
            isNode |= await destination.Store.ExistsAsync(StoreKeys.Join(destination.Path, name), ct).ConfigureAwait(false);
        if (!isNode) throw new IOException($"DST '{destination.Url}' exists and is not a Zarr array or group: not deleting it; choose another destination");
        await destination.Store.DeletePrefixAsync(prefix, ct).ConfigureAwait(false);
    }
}
