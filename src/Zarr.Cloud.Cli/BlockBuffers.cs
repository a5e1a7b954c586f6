using System.Collections.Concurrent;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Cli;

/// <summary>
/// Reuses the element buffers of blocks of the same size: blocks are tens of megabytes, and a fresh array per
/// block would leave the garbage collector hundreds of megabytes behind on a long copy.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class BlockBuffers<T>
{
    private const int KeptPerLength = 2;
    private readonly ConcurrentDictionary<long, ConcurrentBag<T[]>> _spare = new();

    /// <summary>A buffer of exactly <paramref name="length"/> elements (old contents are overwritten by the read).</summary>
    /// <param name="length">The number of elements.</param>
    public T[] Rent(long length) => _spare.TryGetValue(length, out var bag) && bag.TryTake(out var b) ? b : new T[length];

    /// <summary>Gives a buffer back for the next block of its size (a block grid has few sizes: the edges differ).</summary>
    /// <param name="buffer">The buffer.</param>
    public void Return(T[] buffer)
    {
        var bag = _spare.GetOrAdd(buffer.LongLength, _ => []);
        if (bag.Count < KeptPerLength) bag.Add(buffer);
    }

    /// <summary>The shape of a block of slices (no integer indices), and its number of elements.</summary>
    /// <param name="block">A selection of slices.</param>
    /// <param name="arrayShape">The array's shape.</param>
    public static (int[] Shape, long Length) ShapeOf(Selection block, long[] arrayShape)
    {
        var shape = block.Resolve(arrayShape).Select(a => checked((int)a.Count)).ToArray();
        return (shape, shape.Aggregate(1L, (a, b) => a * b));
    }
}
