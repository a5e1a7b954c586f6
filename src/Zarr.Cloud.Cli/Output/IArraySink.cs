namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// Where <c>zarr get</c> sends a selection: it is told the shape once, then receives the elements in C order,
/// block after block, so that no output needs the whole selection in memory.
/// </summary>
internal interface IArraySink : IDisposable
{
    /// <summary>Starts the output.</summary>
    /// <param name="shape">The shape of the selection (integer indices dropped).</param>
    void Begin(long[] shape);

    /// <summary>Writes the next elements, in C order.</summary>
    /// <typeparam name="T">The element type: the array's <see cref="Metadata.ZarrDataType.ClrType"/>.</typeparam>
    /// <param name="values">The elements.</param>
    void Write<T>(ReadOnlySpan<T> values);

    /// <summary>Ends the output after the last element.</summary>
    void Complete();
}
