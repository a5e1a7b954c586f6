using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;

namespace Zarr.Cloud.Cli.Commands;

/// <summary><c>zarr info URL [--json]</c>: what a node is.</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates the command.</summary>
    /// <param name="global">The global options.</param>
    /// <param name="io">Where to write.</param>
    public static Command Create(GlobalOptions global, CliOutput io)
    {
        var url = UrlArgument.Create();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("info", "Show an array's format, shape, chunks, data type, codecs, fill value and attributes, or a group's format, attributes and number of children.") { url, json };
        command.SetAction(async (result, ct) =>
        {
            var options = global.OpenOptions(result, readOnly: true);
            var node = await StoreLocator.Resolve(result.GetValue(url)!, options, instrument: false).OpenAsync(options, ct).ConfigureAwait(false);
            var description = node switch
            {
                ZarrArray a => NodeDescription.Of(a),
                ZarrGroup g => NodeDescription.Of(g, await CountChildrenAsync(g, ct).ConfigureAwait(false)),
                _ => throw new InvalidOperationException($"Unknown node {node}."),
            };
            if (result.GetValue(json)) io.Out.WriteLine(description.ToJsonString(Indented));
            else WriteText(description, io.Out);
            return 0;
        });
        return command;
    }

    /// <summary>The number of children, or null where they cannot be listed (HTTP without consolidated metadata): info still describes the group.</summary>
    private static async Task<int?> CountChildrenAsync(ZarrGroup group, CancellationToken ct)
    {
        try
        {
            return (await group.ListChildrenAsync(ct).ConfigureAwait(false)).Count;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static void WriteText(JsonObject description, TextWriter output)
    {
        int width = description.Max(p => p.Key.Length) + 1;
        foreach (var (key, value) in description)
        {
            var label = (key + ":").PadRight(width + 1);
            var text = value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                null => "null",
                JsonArray list when list.All(x => x is JsonValue) => $"[{string.Join(", ", list.Select(x => x!.ToJsonString(Compact)))}]",
                _ => value.ToJsonString(Compact),
            };
            if (text.Length > 200 && value is JsonObject or JsonArray)
            {
                output.WriteLine(label.TrimEnd());
                foreach (var line in value.ToJsonString(Indented).Split('\n')) output.WriteLine("  " + line);
            }
            else output.WriteLine(label + text);
        }
    }
}
