using System.Text.Json.Nodes;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Indexing;

namespace Zarr.Cloud.Codecs;

/// <summary>
/// The v3 <c>transpose</c> codec (array → array): the encoded array is the decoded one with its axes
/// permuted by <see cref="Order"/> (encoded axis i is decoded axis Order[i]). v2 arrays with order "F"
/// use it with the reversed axes. Spec: https://zarr-specs.readthedocs.io/en/latest/v3/codecs/transpose/index.html
/// </summary>
public sealed class TransposeCodec : IArrayToArrayCodec
{
    /// <summary>Creates the codec.</summary>
    /// <param name="order">A permutation of 0..rank-1.</param>
    public TransposeCodec(int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var seen = new bool[order.Length];
        foreach (var o in order)
        {
            if (o < 0 || o >= order.Length || seen[o]) throw new FormatException($"codec 'transpose': order [{string.Join(", ", order)}] is not a permutation of 0..{order.Length - 1}");
            seen[o] = true;
        }
        Order = order;
    }

    /// <summary>The permutation.</summary>
    public int[] Order { get; }

    /// <inheritdoc />
    public string Name => "transpose";

    /// <summary>The transpose a v2 "F" order array of rank <paramref name="rank"/> means.</summary>
    /// <param name="rank">The rank.</param>
    public static TransposeCodec Fortran(int rank) => new(Enumerable.Range(0, rank).Reverse().ToArray());

    /// <summary>Builds the codec from v3 configuration (also the early "C"/"F" strings).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="rank">The array rank.</param>
    public static TransposeCodec FromConfiguration(JsonObject? configuration, int rank)
    {
        var order = configuration?["order"];
        if (order is JsonValue v && v.TryGetValue<string>(out var s))
            return s switch
            {
                "C" => new TransposeCodec(Enumerable.Range(0, rank).ToArray()),
                "F" => Fortran(rank),
                _ => throw new FormatException($"codec 'transpose': order \"{s}\" is not a permutation"),
            };
        if (order is not JsonArray a) throw new FormatException("codec 'transpose': configuration.order is required");
        var perm = a.Select(x => x is JsonValue xv && xv.TryGetValue<int>(out var i) ? i : throw new FormatException($"codec 'transpose': order must be a list of integers, got {a.ToJsonString()}")).ToArray();
        if (perm.Length != rank) throw new FormatException($"codec 'transpose': order has {perm.Length} axes, the array has {rank}");
        return new TransposeCodec(perm);
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["name"] = Name, ["configuration"] = new JsonObject { ["order"] = new JsonArray(Order.Select(o => (JsonNode)o).ToArray()) } };

    /// <inheritdoc />
    public ChunkSpec GetEncodedSpec(ChunkSpec decoded)
    {
        if (decoded.Shape.Length != Order.Length) throw new ZarrCodecException(null, Name, $"order has {Order.Length} axes, the chunk has {decoded.Shape.Length}");
        return decoded.WithShape(Order.Select(o => decoded.Shape[o]).ToArray());
    }

    /// <inheritdoc />
    public ChunkData Encode(ChunkData decoded, ChunkSpec decodedSpec) => Permute(decoded, decodedSpec.Shape, Order, decodedSpec);

    /// <inheritdoc />
    public ChunkData Decode(ChunkData encoded, ChunkSpec decodedSpec)
    {
        var inverse = new int[Order.Length];
        for (int i = 0; i < Order.Length; i++) inverse[Order[i]] = i;
        return Permute(encoded, GetEncodedSpec(decodedSpec).Shape, inverse, decodedSpec);
    }

    // result axis i = source axis perm[i]
    private ChunkData Permute(ChunkData source, int[] sourceShape, int[] perm, ChunkSpec spec)
    {
        int rank = sourceShape.Length;
        var sourceStrides = StridedCopy.Strides(sourceShape);
        var resultShape = perm.Select(p => sourceShape[p]).ToArray();
        var strides = perm.Select(p => sourceStrides[p]).ToArray();
        if (source.Strings is { } strings)
        {
            var result = new string?[strings.Length];
            StridedCopy.Gather<string?>(strings, strides, result, resultShape, 1);
            return ChunkData.FromStrings(result);
        }
        var src = source.Bytes!;
        var dst = new PooledBuffer(src.Length);
        StridedCopy.Gather<byte>(src.Span, strides, dst.Span, resultShape, spec.DataType.ItemSize);
        return ChunkData.FromBytes(dst);
    }
}
