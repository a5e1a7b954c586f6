using System.Numerics;

namespace Zarr.Cloud.Cli.Output;

/// <summary>Minimum, maximum and mean of real numbers, NaN counted apart and left out of the rest.</summary>
/// <typeparam name="T">An integer or floating-point element type.</typeparam>
internal sealed class NumericStatistics<T>
{
    private double _sum;
    private double _compensation;

    /// <summary>Values seen that are not NaN.</summary>
    public long Count { get; private set; }

    /// <summary>NaN values seen.</summary>
    public long NaNCount { get; private set; }

    /// <summary>The smallest value (meaningful when <see cref="Count"/> &gt; 0).</summary>
    public T? Min { get; private set; }

    /// <summary>The largest value (meaningful when <see cref="Count"/> &gt; 0).</summary>
    public T? Max { get; private set; }

    /// <summary>The mean of the values that are not NaN (NaN when there are none).</summary>
    public double Mean => Count == 0 ? double.NaN : _sum / Count;

    /// <summary>True for element types this class handles: integers and floats.</summary>
    public static bool Supports => typeof(T) == typeof(sbyte) || typeof(T) == typeof(short) || typeof(T) == typeof(int) || typeof(T) == typeof(long)
        || typeof(T) == typeof(byte) || typeof(T) == typeof(ushort) || typeof(T) == typeof(uint) || typeof(T) == typeof(ulong)
        || typeof(T) == typeof(Half) || typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Adds values.</summary>
    /// <param name="values">The values.</param>
    public void Add(ReadOnlySpan<T> values)
    {
        var comparer = Comparer<T>.Default;
        foreach (var v in values)
        {
            double d = ToDouble(v);
            if (double.IsNaN(d))
            {
                NaNCount++;
                continue;
            }
            if (Count == 0 || comparer.Compare(v, Min) < 0) Min = v;
            if (Count == 0 || comparer.Compare(v, Max) > 0) Max = v;
            Count++;
            // Neumaier summation: the mean of many float32 values stays accurate.
            double t = _sum + d;
            _compensation += Math.Abs(_sum) >= Math.Abs(d) ? (_sum - t) + d : (d - t) + _sum;
            _sum = t;
        }
        if (Count > 0 && !double.IsInfinity(_sum)) _sum += _compensation;
        _compensation = 0;
    }

    private static double ToDouble(T v) => v switch
    {
        double d => d,
        float f => f,
        Half h => (double)h,
        IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => double.NaN,
    };
}
