namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// Writes a 1-D selection as one value a line and a 2-D one as one row a line, comma-separated, no header;
/// values formatted by <see cref="ElementFormatter"/> (invariant culture, round-trippable numbers), quoted as
/// RFC 4180 says when they hold a comma, a quote or a line break.
/// </summary>
internal sealed class CsvArrayWriter : IArraySink
{
    private readonly TextWriter _writer;
    private readonly ElementFormatter _format;
    private long _rowLength = 1;
    private long _rows;
    private long _column;

    /// <summary>Creates a writer.</summary>
    /// <param name="writer">The output; disposed with the writer.</param>
    /// <param name="dataType">The elements' type.</param>
    public CsvArrayWriter(TextWriter writer, Metadata.ZarrDataType dataType)
    {
        _writer = writer;
        _format = new ElementFormatter(dataType);
    }

    /// <summary>Throws unless a selection of <paramref name="rank"/> dimensions fits a CSV file (0, 1 or 2).</summary>
    /// <param name="rank">The selection's rank.</param>
    public static void CheckRank(int rank)
    {
        if (rank > 2) throw new UsageException($"CSV holds 1-D and 2-D selections, this one has {rank} dimensions: select fewer axes (e.g. --select 0,:,:) or write .npy or .json");
    }

    /// <inheritdoc />
    public void Begin(long[] shape)
    {
        CheckRank(shape.Length);
        _rowLength = shape.Length == 2 ? shape[1] : 1;
        _rows = shape.Length == 0 ? 1 : shape[0];
    }

    /// <inheritdoc />
    public void Write<T>(ReadOnlySpan<T> values)
    {
        foreach (var v in values)
        {
            if (_column > 0) _writer.Write(',');
            _writer.Write(Quote(_format.Text(v)));
            if (++_column == _rowLength)
            {
                _writer.Write('\n');
                _column = 0;
            }
        }
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <inheritdoc />
    public void Complete()
    {
        // Rows of zero columns are empty lines.
        if (_rowLength == 0) for (long i = 0; i < _rows; i++) _writer.Write('\n');
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
