using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Codecs;

/// <summary>What a codec needs to know of a chunk: its shape, data type and fill value.</summary>
public sealed class ChunkSpec
{
    /// <summary>Creates a spec.</summary>
    /// <param name="shape">The chunk shape.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="fillValue">The fill value.</param>
    public ChunkSpec(int[] shape, ZarrDataType dataType, FillValue fillValue)
    {
        Shape = shape;
        DataType = dataType;
        FillValue = fillValue;
        long n = 1;
        foreach (var s in shape) n = checked(n * s);
        ElementCount = n;
        long bytes = dataType.IsFixedSize ? n * dataType.ItemSize : 0;
        if (bytes > Array.MaxLength) throw new ArgumentException($"A chunk of shape [{string.Join(", ", shape)}] and type {dataType} has {bytes} bytes, more than one buffer can hold.");
        ByteLength = (int)bytes;
    }

    /// <summary>The chunk shape.</summary>
    public int[] Shape { get; }

    /// <summary>The element type.</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The fill value.</summary>
    public FillValue FillValue { get; }

    /// <summary>The number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>The size of the decoded chunk in bytes (0 for variable-length strings).</summary>
    public int ByteLength { get; }

    /// <summary>A spec of the same type with another shape.</summary>
    /// <param name="shape">The shape.</param>
    public ChunkSpec WithShape(int[] shape) => new(shape, DataType, FillValue);
}
