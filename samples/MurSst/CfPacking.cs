using System.Text.Json.Nodes;

namespace Zarr.Cloud.Samples.MurSst;

/// <summary>
/// CF packing of a variable stored as integers: physical = stored × <c>scale_factor</c> + <c>add_offset</c>, and the
/// fill value (the array's <c>fill_value</c>, or a <c>_FillValue</c> attribute) means missing.
/// </summary>
/// <param name="ScaleFactor">The scale factor (1 when absent).</param>
/// <param name="AddOffset">The offset (0 when absent).</param>
/// <param name="Fill">The stored value that means missing, or null.</param>
internal sealed record CfPacking(double ScaleFactor, double AddOffset, long? Fill)
{
    /// <summary>Reads the packing from a variable's attributes and fill value.</summary>
    /// <param name="attributes">The variable's attributes.</param>
    /// <param name="fillValue">The array's fill value (null when it has none).</param>
    /// <exception cref="FormatException">An attribute that is not a number.</exception>
    public static CfPacking FromAttributes(JsonObject attributes, long? fillValue)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return new CfPacking(Number(attributes, "scale_factor") ?? 1, Number(attributes, "add_offset") ?? 0,
            Number(attributes, "_FillValue") is { } f ? (long)f : fillValue);
    }

    private static double? Number(JsonObject attributes, string name)
    {
        if (attributes[name] is not { } node) return null;
        if (node.GetValueKind() == System.Text.Json.JsonValueKind.Number) return double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        throw new FormatException($"the attribute '{name}' is not a number: {node.ToJsonString()}");
    }

    /// <summary>The physical value of <paramref name="stored"/>, or null for the fill value.</summary>
    /// <param name="stored">The stored integer.</param>
    public double? Unpack(long stored) => stored == Fill ? null : stored * ScaleFactor + AddOffset;
}
