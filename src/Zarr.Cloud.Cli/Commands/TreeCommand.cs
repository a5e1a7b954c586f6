using System.CommandLine;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Cli.Commands;

/// <summary><c>zarr tree URL</c>: the hierarchy below a node, sorted, with shapes and data types.</summary>
internal static class TreeCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="global">The global options.</param>
    /// <param name="io">Where to write.</param>
    public static Command Create(GlobalOptions global, CliOutput io)
    {
        var url = UrlArgument.Create();
        var depth = new Option<int?>("--depth") { HelpName = "N",  Description = "Show at most this many levels below the node." };
        var command = new Command("tree", "Show the hierarchy below a group: every group and array, sorted, arrays with their shape and data type.") { url, depth };
        command.SetAction(async (result, ct) =>
        {
            var maxDepth = result.GetValue(depth) ?? int.MaxValue;
            if (maxDepth < 0) throw new UsageException($"--depth must not be negative, got {maxDepth}");
            var options = global.OpenOptions(result, readOnly: true);
            var text = result.GetValue(url)!;
            var node = await StoreLocator.Resolve(text, options, instrument: false).OpenAsync(options, ct).ConfigureAwait(false);
            io.Out.WriteLine($"{Storage.StoreUrlRedactor.Redact(text)} {NodeDescription.Brief(node)} v{node.ZarrFormat}");
            if (node is ZarrGroup group) await WriteChildrenAsync(group, "", maxDepth, io.Out, ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task WriteChildrenAsync(ZarrGroup group, string indent, int depthLeft, TextWriter output, CancellationToken ct)
    {
        if (depthLeft == 0) return;
        var names = (await group.ListChildrenAsync(ct).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList();
        for (int i = 0; i < names.Count; i++)
        {
            bool last = i == names.Count - 1;
            var child = await group.OpenAsync(names[i], ct).ConfigureAwait(false);
            output.WriteLine($"{indent}{(last ? "└── " : "├── ")}{names[i]} {NodeDescription.Brief(child)}");
            if (child is ZarrGroup g) await WriteChildrenAsync(g, indent + (last ? "    " : "│   "), depthLeft - 1, output, ct).ConfigureAwait(false);
        }
    }
}
