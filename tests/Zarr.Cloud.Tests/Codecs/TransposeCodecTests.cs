using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

public class TransposeCodecTests
{
    /// <summary>Brute force: encoded[e] = decoded[d] where d[order[i]] = e[i].</summary>
    private static T[] Reference<T>(T[] decoded, int[] shape, int[] order, int width)
    {
        int rank = shape.Length;
        var encShape = order.Select(o => shape[o]).ToArray();
        var result = new T[decoded.Length];
        int n = decoded.Length / width;
        var e = new int[rank];
        for (int flat = 0; flat < n; flat++)
        {
            int rem = flat;
            for (int i = rank - 1; i >= 0; i--) { e[i] = rem % encShape[i]; rem /= encShape[i]; }
            var d = new int[rank];
            for (int i = 0; i < rank; i++) d[order[i]] = e[i];
            int src = 0;
            for (int i = 0; i < rank; i++) src = src * shape[i] + d[i];
            Array.Copy(decoded, src * width, result, flat * width, width);
        }
        return result;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 1) { yield return [0]; yield break; }
        foreach (var p in Permutations(n - 1))
            for (int at = 0; at <= p.Length; at++)
            {
                var l = p.ToList();
                l.Insert(at, n - 1);
                yield return l.ToArray();
            }
    }

    [Fact]
    public void TwoDimensionalTransposeIsTheMatrixTranspose()
    {
        var spec = Spec(ZarrDataType.Int32, 2, 3);
        var values = new[] { 0, 1, 2, 3, 4, 5 };
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        var codec = new TransposeCodec([1, 0]);
        Assert.Equal([3, 2], codec.GetEncodedSpec(spec).Shape);
        using var chunk = Chunk(bytes);
        using var encoded = codec.Encode(chunk, spec);
        var encodedValues = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(encoded.Bytes!.Span).ToArray();
        Assert.Equal([0, 3, 1, 4, 2, 5], encodedValues);
        using var decoded = codec.Decode(encoded, spec);
        Assert.Equal(bytes, decoded.Bytes());
    }

    public static TheoryData<int, int> RanksAndItemSizes => new() { { 3, 1 }, { 3, 4 }, { 3, 8 }, { 4, 2 }, { 4, 16 } };

    [Theory]
    [MemberData(nameof(RanksAndItemSizes))]
    public void EveryPermutationMatchesTheReference(int rank, int itemSize)
    {
        var shape = new[] { 2, 3, 4, 5 }[..rank];
        var type = itemSize switch { 1 => ZarrDataType.UInt8, 2 => ZarrDataType.Int16, 4 => ZarrDataType.Float32, 8 => ZarrDataType.Int64, _ => ZarrDataType.Complex128 };
        var spec = Spec(type, shape);
        var data = TestData.RandomBytes(spec.ByteLength, rank * 100 + itemSize);
        foreach (var order in Permutations(rank))
        {
            var codec = new TransposeCodec(order);
            using var chunk = Chunk(data);
            using var encoded = codec.Encode(chunk, spec);
            Assert.Equal(Reference(data, shape, order, itemSize), encoded.Bytes());
            using var decoded = codec.Decode(encoded, spec);
            Assert.Equal(data, decoded.Bytes());
        }
    }

    [Fact]
    public void StringsAreTransposed()
    {
        var spec = Spec(ZarrDataType.String, 2, 3);
        string?[] values = ["a", "b", "", "日本", "🎉", "f"];
        var codec = new TransposeCodec([1, 0]);
        using var chunk = ChunkData.FromStrings(values);
        using var encoded = codec.Encode(chunk, spec);
        Assert.Equal(Reference(values, [2, 3], [1, 0], 1), encoded.Strings);
        using var decoded = codec.Decode(encoded, spec);
        Assert.Equal(values, decoded.Strings);
    }

    [Fact]
    public void FortranOrderReversesTheAxes()
    {
        Assert.Equal([3, 2, 1, 0], TransposeCodec.Fortran(4).Order);
        Assert.Equal([2, 1, 0], TransposeCodec.FromConfiguration(new() { ["order"] = "F" }, 3).Order);
        Assert.Equal([0, 1, 2], TransposeCodec.FromConfiguration(new() { ["order"] = "C" }, 3).Order);
        Assert.Equal([1, 2, 0], TransposeCodec.FromConfiguration(new() { ["order"] = new System.Text.Json.Nodes.JsonArray(1, 2, 0) }, 3).Order);
    }

    [Theory]
    [InlineData(new[] { 0, 0 })]
    [InlineData(new[] { 0, 2 })]
    [InlineData(new[] { -1, 0 })]
    public void NonPermutationsAreRejected(int[] order) => Assert.Throws<FormatException>(() => new TransposeCodec(order));

    [Fact]
    public void OrderOfTheWrongRankIsRejected()
    {
        Assert.Throws<FormatException>(() => TransposeCodec.FromConfiguration(new() { ["order"] = new System.Text.Json.Nodes.JsonArray(1, 0) }, 3));
        Assert.Throws<FormatException>(() => TransposeCodec.FromConfiguration(null, 3));
        Assert.Throws<ZarrCodecException>(() => new TransposeCodec([1, 0]).GetEncodedSpec(Spec(ZarrDataType.Int8, 2, 2, 2)));
    }

    [Fact]
    public void JsonNamesTheOrder() =>
        Assert.Equal("{\"name\":\"transpose\",\"configuration\":{\"order\":[2,0,1]}}", new TransposeCodec([2, 0, 1]).ToJson().ToJsonString());
}
