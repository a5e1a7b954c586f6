using System.Text;

namespace Zarr.Cloud.Arrays;

/// <summary>A dense N-dimensional array in C (row-major) order: a buffer and a shape.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class NDArray<T> : INDArray
{
    Array INDArray.Data => Data;

    Type INDArray.ElementType => typeof(T);

    /// <summary>Wraps <paramref name="data"/> (not copied) with <paramref name="shape"/>.</summary>
    /// <param name="data">The elements in C order.</param>
    /// <param name="shape">The shape; its product must equal the data's length.</param>
    public NDArray(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (var s in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(shape));
            n *= s;
        }
        if (n != data.Length) throw new ArgumentException($"The shape [{string.Join(", ", shape)}] holds {n} elements, the data has {data.Length}.");
        Data = data;
        Shape = (int[])shape.Clone();
        Strides = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { Strides[i] = acc; acc *= shape[i]; }
    }

    /// <summary>A new array of <paramref name="shape"/>, every element default.</summary>
    /// <param name="shape">The shape.</param>
    public static NDArray<T> Zeros(params int[] shape)
    {
        long n = 1;
        foreach (var s in shape) n = checked(n * s);
        if (n > Array.MaxLength) throw new ArgumentException($"An array of shape [{string.Join(", ", shape)}] has {n} elements, more than one .NET array holds.");
        return new NDArray<T>(new T[n], shape);
    }

    /// <summary>The elements in C order.</summary>
    public T[] Data { get; }

    /// <summary>The shape.</summary>
    public int[] Shape { get; }

    /// <summary>Strides in elements.</summary>
    public long[] Strides { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The elements as a span.</summary>
    public Span<T> AsSpan() => Data;

    /// <summary>The element at <paramref name="index"/> (one index per dimension).</summary>
    /// <param name="index">The index.</param>
    public ref T this[params int[] index] => ref Data[Offset(index)];

    private long Offset(int[] index)
    {
        if (index.Length != Shape.Length) throw new ArgumentException($"{index.Length} indices for an array of rank {Shape.Length}.", nameof(index));
        long o = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)Shape[d]) throw new IndexOutOfRangeException($"Index {index[d]} is out of bounds for axis {d} of length {Shape[d]}.");
            o += index[d] * Strides[d];
        }
        return o;
    }

    /// <summary>The same data with another shape of the same size.</summary>
    /// <param name="shape">The new shape.</param>
    public NDArray<T> Reshape(params int[] shape) => new(Data, shape);

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("NDArray<").Append(typeof(T).Name).Append(">[").Append(string.Join(", ", Shape)).Append("] {");
        for (int i = 0; i < Math.Min(Data.Length, 10); i++) sb.Append(i == 0 ? " " : ", ").Append(Data[i]);
        if (Data.Length > 10) sb.Append(", ...");
        return sb.Append(" }").ToString();
    }
}
