using System.Text.Json.Nodes;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>The v3 and v2 (numcodecs) configurations of the blosc codec, read and written.</summary>
public class BloscConfigurationTests
{
    private static ChunkSpec Spec(ZarrDataType dt) => new([10, 10], dt, FillValue.Default(dt));

    private static ICodec V3(string configuration, ZarrDataType dt)
        => CodecRegistry.Default.CreateV3(JsonNode.Parse($$"""{"name": "blosc", "configuration": {{configuration}}}"""), Spec(dt), "a/zarr.json")!;

    private static ICodec V2(string configuration, ZarrDataType dt)
        => CodecRegistry.Default.CreateV2(JsonNode.Parse(configuration), Spec(dt), "a/.zarray");

    [Fact]
    public void V3ReadsEveryFieldAndWritesThemBack()
    {
        var c = Assert.IsType<BloscCodec>(V3("""{"cname": "zstd", "clevel": 7, "shuffle": "bitshuffle", "typesize": 8, "blocksize": 65536}""", ZarrDataType.Float32));
        Assert.Equal((BloscCompressor.Zstd, 7, BloscShuffleMode.BitShuffle, 8, 65536), (c.Compressor, c.Level, c.Shuffle, c.TypeSize, c.BlockSize));
        Assert.Equal("""{"name":"blosc","configuration":{"typesize":8,"cname":"zstd","clevel":7,"shuffle":"bitshuffle","blocksize":65536}}""", c.ToJson().ToJsonString());
    }

    [Fact]
    public void AnAbsentV3TypeSizeIsTheChunksItemSize()
    {
        var c = Assert.IsType<BloscCodec>(V3("""{"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "blocksize": 0}""", ZarrDataType.FixedUnicode(5)));
        Assert.Equal(20, c.TypeSize);
        Assert.Equal(1, Assert.IsType<BloscCodec>(V3("""{"cname": "lz4", "clevel": 5, "shuffle": "noshuffle", "blocksize": 0}""", ZarrDataType.String)).TypeSize);
    }

    [Theory]
    [InlineData(-1, 4, BloscShuffleMode.Shuffle)]
    [InlineData(-1, 1, BloscShuffleMode.BitShuffle)]
    [InlineData(0, 4, BloscShuffleMode.NoShuffle)]
    [InlineData(1, 1, BloscShuffleMode.Shuffle)]
    [InlineData(2, 8, BloscShuffleMode.BitShuffle)]
    public void V2ShuffleIncludingAutoShuffle(int shuffle, int itemSize, BloscShuffleMode expected)
    {
        var dt = itemSize switch { 1 => ZarrDataType.UInt8, 4 => ZarrDataType.Int32, _ => ZarrDataType.Float64 };
        var c = Assert.IsType<BloscCodec>(V2($$"""{"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": {{shuffle}}, "blocksize": 0}""", dt));
        Assert.Equal((expected, itemSize), (c.Shuffle, c.TypeSize));
        Assert.Equal(shuffle, c.ToV2Json()["shuffle"]!.GetValue<int>());
    }

    [Fact]
    public void NumcodecsFormInV3MetadataResolvesToTheV2Reader()
    {
        var c = Assert.IsType<BloscCodec>(CodecRegistry.Default.CreateV3(JsonNode.Parse("""{"name": "numcodecs.blosc", "configuration": {"cname": "zlib", "clevel": 3, "shuffle": 2}}"""), Spec(ZarrDataType.Int32), "a/zarr.json"));
        Assert.Equal((BloscCompressor.Zlib, 3, BloscShuffleMode.BitShuffle, 4), (c.Compressor, c.Level, c.Shuffle, c.TypeSize));
    }

    [Theory]
    [InlineData("""{"cname": "lz5", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}""", "lz5")]
    [InlineData("""{"cname": "lz4", "clevel": 10, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}""", "clevel")]
    [InlineData("""{"cname": "lz4", "clevel": 5, "shuffle": "twice", "typesize": 4, "blocksize": 0}""", "twice")]
    [InlineData("""{"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 0, "blocksize": 0}""", "typesize")]
    [InlineData("""{"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": -1}""", "blocksize")]
    [InlineData("""{"cname": 4, "clevel": 5, "shuffle": "shuffle", "typesize": 4, "blocksize": 0}""", "cname")]
    public void BadV3ConfigurationsAreFormatErrorsNamingTheField(string configuration, string expected)
    {
        var e = Assert.Throws<ZarrFormatException>(() => V3(configuration, ZarrDataType.Float32));
        Assert.Contains("blosc", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BadV2ShuffleIsAFormatError()
        => Assert.Contains("shuffle", Assert.Throws<ZarrFormatException>(() => V2("""{"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 3, "blocksize": 0}""", ZarrDataType.Int32)).Message);

    [Fact]
    public void TypesWiderThan255BytesAreShuffledAsBytesAsCBloscDoes()
    {
        var codec = new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffleMode.Shuffle, typeSize: 400);
        var data = Enumerable.Range(0, 4000).Select(i => (byte)(i % 251)).ToArray();
        using var frame = codec.Encode(data);
        Assert.Equal(1, frame.Span[3]);
        using var back = codec.Decode(frame.Span, data.Length);
        Assert.Equal(data, back.Span.ToArray());
    }
}
