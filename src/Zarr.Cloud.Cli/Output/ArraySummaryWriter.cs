using System.Globalization;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Output;

/// <summary>
/// What <c>zarr get</c> prints without <c>-o</c>: the shape and data type; for numbers the minimum, maximum and
/// mean ignoring NaN and the count of NaN; for bool the count of true; then the first values.
/// </summary>
internal sealed class ArraySummaryWriter : IArraySink
{
    private readonly TextWriter _out;
    private readonly ZarrDataType _dataType;
    private readonly ElementFormatter _format;
    private readonly int _maxValues;
    private readonly List<string> _first = [];
    private long[] _shape = [];
    private long _count;
    private long _trueCount;
    private object? _statistics;
    private Action? _printStatistics;

    /// <summary>Creates a summary.</summary>
    /// <param name="output">Where to print it.</param>
    /// <param name="dataType">The elements' type.</param>
    /// <param name="maxValues">How many values to show.</param>
    public ArraySummaryWriter(TextWriter output, ZarrDataType dataType, int maxValues = 20)
    {
        _out = output;
        _dataType = dataType;
        _format = new ElementFormatter(dataType);
        _maxValues = maxValues;
    }

    /// <inheritdoc />
    public void Begin(long[] shape) => _shape = shape;

    /// <inheritdoc />
    public void Write<T>(ReadOnlySpan<T> values)
    {
        for (int i = 0; i < values.Length && _first.Count < _maxValues; i++)
        {
            var text = _format.Text(values[i]);
            _first.Add(values[i] is string or byte[] ? Quote(text) : text);
        }
        _count += values.Length;
        if (_dataType.Kind == DataTypeKind.Bool)
        {
            foreach (var v in values) if (v is true) _trueCount++;
        }
        else if (_dataType.Kind is DataTypeKind.Int or DataTypeKind.UInt or DataTypeKind.Float && NumericStatistics<T>.Supports)
        {
            if (_statistics is not NumericStatistics<T> stats)
            {
                _statistics = stats = new NumericStatistics<T>();
                _printStatistics = () => PrintStatistics(stats);
            }
            stats.Add(values);
        }
    }

    private static string Quote(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private void PrintStatistics<T>(NumericStatistics<T> stats)
    {
        if (stats.Count > 0)
        {
            _out.WriteLine($"min: {_format.Text(stats.Min)}");
            _out.WriteLine($"max: {_format.Text(stats.Max)}");
            _out.WriteLine($"mean: {_format.Text(stats.Mean)}");
        }
        if (_dataType.Kind == DataTypeKind.Float) _out.WriteLine($"nan: {stats.NaNCount.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc />
    public void Complete()
    {
        _out.WriteLine($"shape: [{string.Join(", ", _shape)}]");
        _out.WriteLine($"dtype: {_dataType}");
        _out.WriteLine($"count: {_count.ToString(CultureInfo.InvariantCulture)}");
        if (_dataType.Kind == DataTypeKind.Bool) _out.WriteLine($"true: {_trueCount.ToString(CultureInfo.InvariantCulture)}");
        _printStatistics?.Invoke();
        var more = _count > _first.Count ? $", ... ({_count - _first.Count} more)" : "";
        _out.WriteLine($"values: [{string.Join(", ", _first)}{more}]");
        _out.Flush();
    }

    /// <inheritdoc />
    public void Dispose() { }
}
