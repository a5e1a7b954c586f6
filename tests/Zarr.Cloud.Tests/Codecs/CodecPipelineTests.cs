using System.Text.Json.Nodes;
using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

public class CodecPipelineTests
{
    /// <summary>Pipelines as v3 "codecs" JSON, built through the registry as an array open does.</summary>
    public static TheoryData<string, string> Pipelines => new()
    {
        { "int32", """[{"name":"bytes","configuration":{"endian":"little"}}]""" },
        { "int32", """[{"name":"bytes","configuration":{"endian":"big"}}]""" },
        { "float64", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"gzip","configuration":{"level":1}}]""" },
        { "uint16", """[{"name":"bytes","configuration":{"endian":"big"}},{"name":"zstd","configuration":{"level":3,"checksum":true}},{"name":"crc32c"}]""" },
        { "int64", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"crc32c"},{"name":"numcodecs.zlib","configuration":{"level":5}},{"name":"zstd","configuration":{"level":1,"checksum":false}}]""" },
        { "float32", """[{"name":"transpose","configuration":{"order":[1,0,2]}},{"name":"bytes","configuration":{"endian":"big"}},{"name":"gzip","configuration":{"level":5}},{"name":"crc32c"}]""" },
        { "complex64", """[{"name":"transpose","configuration":{"order":[2,1,0]}},{"name":"transpose","configuration":{"order":[1,0,2]}},{"name":"bytes","configuration":{"endian":"little"}}]""" },
        { "uint8", """[{"name":"bytes"},{"name":"zstd","configuration":{"level":0,"checksum":false}}]""" },
    };

    private static CodecPipeline Build(ChunkSpec spec, string codecsJson)
    {
        var registry = CodecRegistry.Default;
        var list = (JsonArray)JsonNode.Parse(codecsJson)!;
        var a2a = new List<IArrayToArrayCodec>();
        IArrayToBytesCodec? a2b = null;
        var b2b = new List<IBytesToBytesCodec>();
        var current = spec;
        foreach (var c in list)
        {
            switch (registry.CreateV3(c, current, "test/zarr.json"))
            {
                case IArrayToArrayCodec x: a2a.Add(x); current = x.GetEncodedSpec(current); break;
                case IArrayToBytesCodec x: a2b = x; break;
                case IBytesToBytesCodec x: b2b.Add(x); break;
            }
        }
        return new CodecPipeline(spec, a2a, a2b!, b2b);
    }

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void RoundTripAndDecodeIntoAgree(string type, string codecs)
    {
        var spec = Spec(ZarrDataType.Parse(type), 4, 5, 3);
        var pipeline = Build(spec, codecs);
        var data = TestData.RandomBytes(spec.ByteLength, codecs.Length);
        using var chunk = Chunk(data);
        var encoded = pipeline.Encode(chunk).ToArrayAndDispose();
        using var decoded = pipeline.Decode(encoded);
        Assert.Equal(data, decoded.Bytes());
        var into = new byte[spec.ByteLength];
        if (pipeline.CanDecodeInto)
        {
            Assert.True(pipeline.TryDecodeInto(encoded, into));
            Assert.Equal(data, into);
        }
        else
        {
            Assert.NotEmpty(pipeline.ArrayToArray);
            Assert.False(pipeline.TryDecodeInto(encoded, into));
        }
    }

    [Fact]
    public void EncodeAppliesTheCodecsInOrder()
    {
        // bytes(big) → gzip → crc32c, checked stage by stage with the codecs on their own.
        var spec = Spec(ZarrDataType.Int16, 6);
        var pipeline = new CodecPipeline(spec, [], new BytesCodec(true), [new GzipCodec(1), new Crc32cCodec()]);
        var data = TestData.RandomBytes(12, 4);
        using var chunk = Chunk(data);
        var encoded = pipeline.Encode(chunk).ToArrayAndDispose();
        var withoutCrc = new Crc32cCodec().Decode(encoded, null).ToArrayAndDispose();
        var big = new GzipCodec().Decode(withoutCrc, 12).ToArrayAndDispose();
        for (int i = 0; i < 12; i += 2) Assert.Equal((data[i], data[i + 1]), (big[i + 1], big[i]));
        Assert.Equal(["bytes", "gzip", "crc32c"], pipeline.Codecs.Select(c => c.Name));
    }

    [Fact]
    public void StringPipelines()
    {
        var spec = Spec(ZarrDataType.String, 2, 3);
        string?[] values = ["", "a", "ü", "🎉", "long " + new string('z', 300), "x"];
        var pipelines = new[]
        {
            new CodecPipeline(spec, [], new VLenUtf8Codec(), []),
            new CodecPipeline(spec, [], new VLenUtf8Codec(), [new ZstdCodec(3), new Crc32cCodec()]),
            new CodecPipeline(spec, [new TransposeCodec([1, 0])], new VLenUtf8Codec(), [new GzipCodec(5)]),
        };
        foreach (var p in pipelines)
        {
            using var chunk = ChunkData.FromStrings(values);
            var encoded = p.Encode(chunk).ToArrayAndDispose();
            using var decoded = p.Decode(encoded);
            Assert.Equal(values, decoded.Strings);
            Assert.False(p.CanDecodeInto);
        }
    }

    [Fact]
    public void TransposeBeforeBytesChangesTheStoredOrder()
    {
        var spec = Spec(ZarrDataType.UInt8, 2, 3);
        var pipeline = new CodecPipeline(spec, [new TransposeCodec([1, 0])], new BytesCodec(null), []);
        using var chunk = Chunk([0, 1, 2, 3, 4, 5]);
        Assert.Equal(new byte[] { 0, 3, 1, 4, 2, 5 }, pipeline.Encode(chunk).ToArrayAndDispose());
    }
}
