using System.Globalization;

namespace Zarr.Cloud.Indexing;

/// <summary>
/// A basic (NumPy-style) selection: one <see cref="AxisSelection"/> per leading axis; axes not named are
/// selected whole. Parse NumPy syntax with <see cref="Parse"/> (<c>"3:30,::2,-5:"</c>, <c>"5,:"</c>, <c>"..."</c>).
/// </summary>
public sealed class Selection
{
    /// <summary>Creates a selection.</summary>
    /// <param name="axes">The axes, leading first.</param>
    public Selection(params AxisSelection[] axes)
    {
        Axes = axes ?? [];
    }

    /// <summary>The axes named.</summary>
    public IReadOnlyList<AxisSelection> Axes { get; }

    /// <summary>Everything.</summary>
    public static Selection All { get; } = new();

    /// <summary>An array of axes.</summary>
    /// <param name="axes">The axes.</param>
    public static implicit operator Selection(AxisSelection[] axes) => new(axes);

    /// <summary>Resolves against <paramref name="shape"/>.</summary>
    /// <param name="shape">The array shape.</param>
    /// <exception cref="ArgumentException">More axes than the array has.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index out of bounds.</exception>
    public ResolvedAxis[] Resolve(IReadOnlyList<long> shape)
    {
        if (Axes.Count > shape.Count) throw new ArgumentException($"The selection has {Axes.Count} axes, the array has {shape.Count}.");
        var r = new ResolvedAxis[shape.Count];
        for (int d = 0; d < shape.Count; d++) r[d] = d < Axes.Count ? Axes[d].Resolve(shape[d], d) : AxisSelection.All.Resolve(shape[d], d);
        return r;
    }

    /// <summary>
    /// Parses NumPy basic indexing: comma-separated integers and <c>start:stop:step</c> slices, with one optional
    /// <c>...</c> (needs <paramref name="rank"/>). Empty text selects everything.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="rank">The array's rank, used to expand <c>...</c>; null when unknown.</param>
    /// <exception cref="FormatException">The text is not a selection.</exception>
    public static Selection Parse(string text, int? rank = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.StartsWith('[') && t.EndsWith(']')) t = t[1..^1];
        if (t.Length == 0) return All;
        var parts = t.Split(',');
        var axes = new List<AxisSelection>();
        int ellipsisAt = -1;
        foreach (var raw in parts)
        {
            var p = raw.Trim();
            if (p == "...")
            {
                if (ellipsisAt >= 0) throw new FormatException($"Selection '{text}': only one '...' is allowed.");
                ellipsisAt = axes.Count;
                continue;
            }
            if (p.Length == 0) throw new FormatException($"Selection '{text}': an empty item.");
            if (!p.Contains(':'))
            {
                if (!long.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) throw new FormatException($"Selection '{text}': '{p}' is not an integer or a slice.");
                axes.Add(AxisSelection.At(i));
                continue;
            }
            var s = p.Split(':');
            if (s.Length > 3) throw new FormatException($"Selection '{text}': '{p}' has more than two ':'.");
            long? Bound(string b, string what)
            {
                b = b.Trim();
                if (b.Length == 0) return null;
                if (!long.TryParse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) throw new FormatException($"Selection '{text}': the {what} '{b}' is not an integer.");
                return v;
            }
            var step = s.Length == 3 ? Bound(s[2], "step") ?? 1 : 1;
            if (step < 1) throw new FormatException($"Selection '{text}': the step {step} must be positive (negative steps are not supported).");
            axes.Add(AxisSelection.Of(new Slice(Bound(s[0], "start"), Bound(s[1], "stop"), step)));
        }
        if (ellipsisAt >= 0 && rank is { } r)
        {
            int fill = r - axes.Count;
            if (fill < 0) throw new FormatException($"Selection '{text}' has more axes than the array's {r}.");
            axes.InsertRange(ellipsisAt, Enumerable.Repeat(AxisSelection.All, fill));
        }
        else if (ellipsisAt >= 0 && ellipsisAt != axes.Count) throw new FormatException($"Selection '{text}': '...' before other axes needs the array's rank.");
        return new Selection(axes.ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", Axes.Select(a => a.ToString()));
}
