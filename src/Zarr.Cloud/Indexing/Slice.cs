namespace Zarr.Cloud.Indexing;

/// <summary>
/// A NumPy-style slice <c>start:stop:step</c> of one axis. Null bounds mean the ends; negative bounds count
/// from the end; the step must be positive.
/// </summary>
/// <param name="Start">The first index, or null for 0.</param>
/// <param name="Stop">One past the last index, or null for the end.</param>
/// <param name="Step">The step, at least 1.</param>
public readonly record struct Slice(long? Start = null, long? Stop = null, long Step = 1)
{
    /// <summary>The whole axis (<c>:</c>).</summary>
    public static Slice All => new(null, null, 1);

    /// <inheritdoc />
    public override string ToString() => $"{Start}:{Stop}{(Step == 1 ? "" : $":{Step}")}";
}
