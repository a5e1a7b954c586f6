namespace Zarr.Cloud.Arrays;

/// <summary>An <see cref="NDArray{T}"/> seen without its element type.</summary>
public interface INDArray
{
    /// <summary>The elements in C order (a T[]).</summary>
    Array Data { get; }

    /// <summary>The shape.</summary>
    int[] Shape { get; }

    /// <summary>The element type.</summary>
    Type ElementType { get; }
}
