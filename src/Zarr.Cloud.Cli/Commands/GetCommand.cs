using System.CommandLine;
using System.Text;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Cli.Output;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Commands;

/// <summary>
/// <c>zarr get URL [--select SEL] [-o FILE]</c>: reads a selection, block by block, into a .npy, .json or .csv
/// file, or prints a summary.
/// </summary>
internal static class GetCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="global">The global options.</param>
    /// <param name="io">Where to write.</param>
    public static Command Create(GlobalOptions global, CliOutput io)
    {
        var url = UrlArgument.Create("URL", "An array: a local path (it may point into a hierarchy), file://, or a URL of a registered store.");
        var select = new Option<string?>("--select", "-s") { HelpName = "SEL",  Description = "NumPy basic indexing, e.g. '3:30,::2,-5:' or '5,...'. Write --select=SEL when SEL starts with '-'. Default: everything." };
        var output = new Option<FileInfo?>("--output", "-o") { HelpName = "FILE",  Description = "Write the selection to FILE: .npy (NumPy), .json ({shape, dtype, data}) or .csv (1-D and 2-D). Without it, print a summary." };
        var transfer = new TransferOptions();
        var command = new Command("get", "Read a selection of an array into a .npy, .json or .csv file, or print a summary (shape, dtype, min/max/mean, first values).") { url, select, output };
        transfer.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var statistics = new RequestStatistics();
            var options = global.OpenOptions(result, readOnly: true, result.GetValue(transfer.Concurrency));
            var blockBytes = transfer.GetBlockBytes(result);
            var file = result.GetValue(output);
            var format = file is null ? null : OutputFormatOf(file);
            var source = StoreLocator.Resolve(result.GetValue(url)!, options, result.GetValue(transfer.Stats));
            var array = await source.OpenArrayAsync(options, ct).ConfigureAwait(false);
            var selectionText = result.GetValue(select) ?? "";
            var axes = Resolve(array, selectionText);
            var shape = axes.Where(a => !a.Squeeze).Select(a => a.Count).ToArray();
            if (format == ".npy") NpyWriter.CheckSupported(array.DataType);
            if (format == ".csv") CsvArrayWriter.CheckRank(shape.Length);
            var blocks = ArrayBlocks.InCOrder(axes, array.DataType.IsFixedSize ? array.DataType.ItemSize : 64, blockBytes);
            bool bar = transfer.ShowProgress(result, io);
            long totalBytes = TransferProgress.DecodedBytes(array, shape.Aggregate(1L, (a, b) => a * b));
            // Under a bar, the summary waits until the bar is done, so the two do not share the terminal at once.
            using var summaryText = new StringWriter();
            await TransferProgress.RunAsync(io, bar, async progress =>
            {
                progress?.Begin($"get {array.Path}", totalBytes);
                if (file is null)
                {
                    using var summary = new ArraySummaryWriter(bar ? summaryText : io.Out, array.DataType);
                    await CopyAsync(array, shape, blocks, summary, progress, ct).ConfigureAwait(false);
                }
                else
                {
                    await WriteFileAsync(array, shape, blocks, file, format!, progress, ct).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            io.Out.Write(summaryText.ToString());
            if (source.Statistics is { } s) io.Error.WriteLine(statistics.Line(s));
            return 0;
        });
        return command;
    }

    private static string OutputFormatOf(FileInfo file)
    {
        var ext = file.Extension.ToLowerInvariant();
        if (ext is ".npy" or ".json" or ".csv") return ext;
        throw new UsageException($"cannot tell the output format of '{file.Name}': name the file .npy, .json or .csv");
    }

    /// <summary>Parses and resolves a selection; errors name it.</summary>
    private static ResolvedAxis[] Resolve(ZarrArray array, string text)
    {
        Selection selection;
        try
        {
            selection = Selection.Parse(text, array.Rank);
        }
        catch (FormatException e)
        {
            throw new UsageException($"bad --select: {e.Message}", e);
        }
        try
        {
            return selection.Resolve(array.Metadata.Shape);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"bad --select '{text}' for shape [{string.Join(", ", array.Metadata.Shape)}]: {ErrorReport.MessageOf(e)}", e);
        }
    }

    /// <summary>Writes into a temporary file beside FILE, renamed over it when complete, so a failed read leaves no half file.</summary>
    private static async Task WriteFileAsync(ZarrArray array, long[] shape, IEnumerable<Selection> blocks, FileInfo file, string format, TransferProgress? progress, CancellationToken ct)
    {
        var partial = Path.Combine(file.DirectoryName ?? ".", $".{file.Name}.{Guid.NewGuid():N}.partial");
        try
        {
            var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            using (IArraySink sink = format switch
            {
                ".npy" => new NpyWriter(stream, array.DataType),
                ".json" => new JsonArrayWriter(stream, array.DataType),
                _ => new CsvArrayWriter(new StreamWriter(stream, new UTF8Encoding(false)), array.DataType),
            })
            {
                await CopyAsync(array, shape, blocks, sink, progress, ct).ConfigureAwait(false);
            }
            File.Move(partial, file.FullName, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static Task CopyAsync(ZarrArray array, long[] shape, IEnumerable<Selection> blocks, IArraySink sink, TransferProgress? progress, CancellationToken ct) =>
        ElementTypeDispatch.InvokeAsync(typeof(GetCommand), nameof(CopyTypedAsync), array.DataType.ClrType, array, shape, blocks, sink, progress, ct);

    private static async Task CopyTypedAsync<T>(ZarrArray array, long[] shape, IEnumerable<Selection> blocks, IArraySink sink, TransferProgress? progress, CancellationToken ct)
    {
        sink.Begin(shape);
        var buffers = new BlockBuffers<T>();
        foreach (var block in blocks)
        {
            var (_, length) = BlockBuffers<T>.ShapeOf(block, array.Metadata.Shape);
            var buffer = buffers.Rent(length);
            await array.ReadAsync<T>(block, buffer, progress?.Block(), ct).ConfigureAwait(false);
            sink.Write<T>(buffer);
            buffers.Return(buffer);
        }
        sink.Complete();
    }
}
