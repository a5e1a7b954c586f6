using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Arrays;

public class ZarrArrayDefinitionTests
{
    [Fact]
    public void WithZarrFormatCopiesEveryOtherProperty()
    {
        var d = new ZarrArrayDefinition
        {
            Shape = [3, 4], ChunkShape = [1, 2], DataType = ZarrDataType.Int16, FillValue = (short)5, Compressor = new GzipCodec(2),
            Filters = [new TransposeCodec([1, 0])], Codecs = [new BytesCodec(true)], Order = 'F', BigEndian = true, ChunkKeySeparator = '.',
            Attributes = new JsonObject { ["a"] = 1 }, DimensionNames = ["y", "x"], Overwrite = true, ShardShape = [3, 4],
        };
        var copy = d.WithZarrFormat(2);
        Assert.Equal(2, copy.ZarrFormat);
        Assert.True(copy.IsZarrFormatSet);
        foreach (var p in typeof(ZarrArrayDefinition).GetProperties().Where(p => p.Name != nameof(ZarrArrayDefinition.ZarrFormat)))
        {
            Assert.NotNull(p.GetValue(d)); // every property set in d, so a property left out of the copy shows
            Assert.True(Equals(p.GetValue(d), p.GetValue(copy)), $"{p.Name} was not copied");
        }
    }

    [Fact]
    public void FormatDefaultsToThree()
    {
        var d = new ZarrArrayDefinition { Shape = [1], DataType = ZarrDataType.Int8 };
        Assert.Equal(3, d.ZarrFormat);
        Assert.False(d.IsZarrFormatSet);
        Assert.True(new ZarrArrayDefinition { Shape = [1], DataType = ZarrDataType.Int8, ZarrFormat = 3 }.IsZarrFormatSet);
    }

    [Theory]
    [InlineData(new long[] { 100, 100 }, 8, new[] { 100, 100 })]
    [InlineData(new long[] { 10000, 10000 }, 8, new[] { 313, 313 })]
    [InlineData(new long[] { 0, 5 }, 4, new[] { 1, 5 })]
    public void GuessedChunksAreAboutOneMebibyte(long[] shape, int itemSize, int[] expected)
    {
        var chunks = ZarrArrayDefinition.GuessChunks(shape, itemSize);
        Assert.Equal(expected, chunks);
        Assert.True(chunks.Aggregate(1L, (a, b) => a * b) * itemSize <= 1 << 20);
    }
}
