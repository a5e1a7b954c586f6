namespace Zarr.Cloud.Samples.MurSst;

/// <summary>
/// A monotonically increasing coordinate (latitude or longitude, regularly or irregularly spaced): the index of the
/// value nearest a target, found by binary search, never by scanning the whole axis.
/// </summary>
internal sealed class CoordinateAxis
{
    private readonly double[] _values;

    /// <summary>Wraps the coordinate values.</summary>
    /// <param name="name">The coordinate's name, for messages.</param>
    /// <param name="values">The values, strictly increasing.</param>
    /// <exception cref="ArgumentException">Empty, or not increasing where checked (ends and the found neighbourhood).</exception>
    public CoordinateAxis(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException($"the coordinate '{name}' is empty", nameof(values));
        if (values.Length > 1 && !(values[^1] > values[0])) throw new ArgumentException($"the coordinate '{name}' does not increase ({values[0]} .. {values[^1]})", nameof(values));
        Name = name;
        _values = values;
    }

    /// <summary>The coordinate's name.</summary>
    public string Name { get; }

    /// <summary>The value at <paramref name="index"/>.</summary>
    /// <param name="index">An index.</param>
    public double this[int index] => _values[index];

    /// <summary>The number of values.</summary>
    public int Length => _values.Length;

    /// <summary>
    /// The index of the value nearest <paramref name="target"/>; ties go to the lower index. A target more than half a
    /// grid step outside the first or last value is out of range.
    /// </summary>
    /// <param name="target">The coordinate to look for.</param>
    /// <exception cref="ArgumentOutOfRangeException">Outside the axis (named, with its range).</exception>
    public int Nearest(double target)
    {
        if (!double.IsFinite(target)) throw new ArgumentOutOfRangeException(null, $"{Name} {target} is not a finite number");
        double lowStep = _values.Length > 1 ? _values[1] - _values[0] : 0, highStep = _values.Length > 1 ? _values[^1] - _values[^2] : 0;
        if (target < _values[0] - lowStep / 2 || target > _values[^1] + highStep / 2)
            throw new ArgumentOutOfRangeException(null, $"{Name} {target} is outside the dataset's {Name} range {_values[0]} .. {_values[^1]}");
        int lo = 0, hi = _values.Length - 1;
        while (lo < hi) // the first index whose value is >= target
        {
            int mid = lo + (hi - lo) / 2;
            if (_values[mid] < target) lo = mid + 1;
            else hi = mid;
        }
        if (lo > 0 && target - _values[lo - 1] <= _values[lo] - target) return lo - 1;
        return lo;
    }
}
