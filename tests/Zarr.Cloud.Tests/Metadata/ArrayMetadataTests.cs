using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Metadata;

public class ArrayMetadataTests
{
    private static string Json(JsonNode? n) => n?.ToJsonString() ?? "null";

    /// <summary>Field by field equality of two metadata objects.</summary>
    internal static void AssertSame(ArrayMetadata a, ArrayMetadata b)
    {
        Assert.Equal(a.ZarrFormat, b.ZarrFormat);
        Assert.Equal(a.Shape, b.Shape);
        Assert.Equal(a.ChunkShape, b.ChunkShape);
        Assert.Equal(a.DataType, b.DataType);
        Assert.Equal(a.FillValue.Bytes.ToArray(), b.FillValue.Bytes.ToArray());
        Assert.Equal(a.FillValue.Text, b.FillValue.Text);
        Assert.Equal(a.FillValue.IsNull, b.FillValue.IsNull);
        Assert.Equal((a.ChunkKeyEncoding.IsV2, a.ChunkKeyEncoding.Separator), (b.ChunkKeyEncoding.IsV2, b.ChunkKeyEncoding.Separator));
        Assert.Equal(Json(a.Codecs), Json(b.Codecs));
        Assert.Equal(Json(a.Compressor), Json(b.Compressor));
        Assert.Equal(Json(a.Filters), Json(b.Filters));
        Assert.Equal(a.Order, b.Order);
        Assert.Equal(Json(a.Attributes), Json(b.Attributes));
        Assert.Equal(a.DimensionNames, b.DimensionNames);
        Assert.Equal(Json(a.ExtraFields), Json(b.ExtraFields));
    }

    public static TheoryData<string> V3Documents => new()
    {
        MetadataDocs.V3Array().ToJsonString(),
        MetadataDocs.V3Array("\"float64\"", "\"NaN\"").With("dimension_names", """["y", null]""").ToJsonString(),
        MetadataDocs.V3Array("\"float32\"", "\"0x7fc00001\"", """[{"name":"bytes","configuration":{"endian":"big"}},{"name":"zstd","configuration":{"level":3,"checksum":true}},{"name":"crc32c"}]""").ToJsonString(),
        MetadataDocs.V3Array("\"complex64\"", "[1.5, \"-Infinity\"]").ToJsonString(),
        MetadataDocs.V3Array("\"int64\"", "-9223372036854775808", """[{"name":"transpose","configuration":{"order":[1,0]}},{"name":"bytes","configuration":{"endian":"little"}},{"name":"gzip","configuration":{"level":1}}]""").ToJsonString(),
        MetadataDocs.V3Array("\"uint64\"", "18446744073709551615").With("chunk_key_encoding", """{"name":"v2","configuration":{"separator":"."}}""").ToJsonString(),
        MetadataDocs.V3Array("\"string\"", "\"fill\"", """[{"name":"vlen-utf8"},{"name":"zstd","configuration":{"level":0,"checksum":false}}]""").ToJsonString(),
        MetadataDocs.V3Array("\"bool\"", "true", """[{"name":"bytes"}]""").ToJsonString(),
        MetadataDocs.V3Array("""{"name":"numpy.datetime64","configuration":{"unit":"ms","scale_factor":5}}""", "-1").ToJsonString(),
        MetadataDocs.V3Array("""{"name":"fixed_length_utf32","configuration":{"length_bytes":12}}""", "\"ab\"").ToJsonString(),
        MetadataDocs.V3Array("\"r16\"", "\"AAE=\"", """[{"name":"bytes"}]""").ToJsonString(),
        MetadataDocs.V3Array("\"float16\"", "\"Infinity\"").With("my_extension", """{"must_understand": false, "x": [1, 2]}""").ToJsonString(),
        MetadataDocs.V3Array().With("shape", "[]").With("chunk_grid.configuration.chunk_shape", "[]").ToJsonString(),
        MetadataDocs.V3Array().With("shape", "[0, 7]").ToJsonString(),
    };

    [Theory]
    [MemberData(nameof(V3Documents))]
    public void V3RoundTrip(string json)
    {
        var first = ArrayMetadata.ParseV3(JsonNode.Parse(json), "a/zarr.json");
        var written = first.ToV3Json();
        var second = ArrayMetadata.ParseV3(JsonNode.Parse(written.ToJsonString()), "a/zarr.json");
        AssertSame(first, second);
        Assert.Equal(written.ToJsonString(), second.ToV3Json().ToJsonString());
    }

    public static TheoryData<string, string?> V2Documents => new()
    {
        { MetadataDocs.V2Array().ToJsonString(), null },
        { MetadataDocs.V2Array(">f8", "\"NaN\"").With("order", "\"F\"").With("dimension_separator", "\"/\"").ToJsonString(), """{"units":"K"}""" },
        { MetadataDocs.V2Array(">i2", "-3").With("compressor", """{"id":"zlib","level":4}""").ToJsonString(), null },
        { MetadataDocs.V2Array("<u8", "18446744073709551615").With("compressor", """{"id":"zstd","level":1,"checksum":true}""").ToJsonString(), null },
        { MetadataDocs.V2Array("|O", "\"\"", """[{"id":"vlen-utf8"}]""").With("compressor", """{"id":"gzip","level":5}""").ToJsonString(), null },
        { MetadataDocs.V2Array("|S7", "\"YWJj\"").ToJsonString(), null },
        { MetadataDocs.V2Array("<U13", "\"héllo\"").ToJsonString(), null },
        { MetadataDocs.V2Array("<M8[ns]", "\"NaT\"").ToJsonString(), null },
        { MetadataDocs.V2Array("<m8[10s]", "0").ToJsonString(), null },
        { MetadataDocs.V2Array("<c16", "null").ToJsonString(), null },
        { MetadataDocs.V2Array("|b1", "false").ToJsonString(), null },
        { MetadataDocs.V2Array("<f2", "\"-Infinity\"").With("filters", """[{"id":"crc32c"}]""").ToJsonString(), """{"nested":{"a":[1,2,{"b":null}]}}""" },
    };

    [Theory]
    [MemberData(nameof(V2Documents))]
    public void V2RoundTrip(string json, string? attrs)
    {
        var first = ArrayMetadata.ParseV2(JsonNode.Parse(json), attrs is null ? null : JsonNode.Parse(attrs), "a/.zarray");
        var written = first.ToV2Json();
        var second = ArrayMetadata.ParseV2(JsonNode.Parse(written.ToJsonString()), first.Attributes.DeepClone(), "a/.zarray");
        AssertSame(first, second);
        Assert.Equal(written.ToJsonString(), second.ToV2Json().ToJsonString());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void CreatedMetadataRoundTrips(int format)
    {
        var type = ZarrDataType.Float32;
        var created = ArrayMetadata.Create(format, [100, 7], [30, 7], type, FillValue.FromObject(-1.5f, type), new ChunkKeyEncoding(format == 2, format == 2 ? '.' : '/'),
            [new BytesCodec(false), new GzipCodec(3)], 'F', new JsonObject { ["title"] = "t" }, format == 3 ? ["time", "x"] : null);
        var parsed = format == 3
            ? ArrayMetadata.ParseV3(JsonNode.Parse(created.ToV3Json().ToJsonString()), "k")
            : ArrayMetadata.ParseV2(JsonNode.Parse(created.ToV2Json().ToJsonString()), created.Attributes.DeepClone(), "k");
        AssertSame(created, parsed);
        if (format == 3) Assert.Equal("transpose", parsed.Codecs![0]!["name"]!.GetValue<string>());
        else Assert.Equal('F', parsed.Order);
    }

    [Fact]
    public void V2ByteOrderIsKeptInTheDTypeAndTheFillValueIsLittleEndian()
    {
        var m = MetadataDocs.ParseV2(MetadataDocs.V2Array(">i4", "258"));
        Assert.True(m.DataType.BigEndian);
        Assert.Equal(new byte[] { 2, 1, 0, 0 }, m.FillValue.Bytes.ToArray());
        Assert.Equal(">i4", m.ToV2Json()["dtype"]!.GetValue<string>());
        Assert.Equal("258", m.ToV2Json()["fill_value"]!.ToJsonString());
    }

    [Fact]
    public void WithShapeAndWithAttributesKeepEverythingElse()
    {
        var m = MetadataDocs.ParseV3(MetadataDocs.V3Array().With("ext", """{"must_understand": false}""").With("dimension_names", """["a","b"]"""));
        var resized = m.WithShape([3, 4]);
        Assert.Equal([3L, 4L], resized.Shape);
        var attrs = m.WithAttributes(new JsonObject { ["z"] = 1 });
        Assert.Equal("{\"z\":1}", attrs.Attributes.ToJsonString());
        foreach (var x in new[] { resized, attrs })
        {
            Assert.Equal(m.ChunkShape, x.ChunkShape);
            Assert.Equal(Json(m.Codecs), Json(x.Codecs));
            Assert.Equal(Json(m.ExtraFields), Json(x.ExtraFields));
            Assert.Equal(m.DimensionNames, x.DimensionNames);
        }
        Assert.Throws<ArgumentException>(() => m.WithShape([1]));
    }

    [Theory]
    [InlineData("\"default\"", false, '/')]
    [InlineData("\"v2\"", true, '.')]
    [InlineData("{\"name\": \"default\"}", false, '/')]
    [InlineData("{\"name\": \"v2\", \"configuration\": {\"separator\": \"/\"}}", true, '/')]
    public void ChunkKeyEncodingByShortHandNameOrObject(string json, bool v2, char separator)
    {
        // The spec allows an extension without configuration to be given by its name alone.
        var m = MetadataDocs.ParseV3(MetadataDocs.V3Array().With("chunk_key_encoding", json));
        Assert.Equal((v2, separator), (m.ChunkKeyEncoding.IsV2, m.ChunkKeyEncoding.Separator));
    }

    // ------------------------------------------------------------------ must_understand

    [Fact]
    public void UnknownFieldThatNeedNotBeUnderstoodIsIgnoredAndKept()
    {
        var doc = MetadataDocs.V3Array().With("my_ext", """{"must_understand": false, "payload": {"k": [1, "two"]}}""");
        var m = MetadataDocs.ParseV3(doc);
        Assert.NotNull(m.ExtraFields);
        Assert.True(JsonNode.DeepEquals(doc["my_ext"], m.ToV3Json()["my_ext"]));
    }

    [Theory]
    [InlineData("""{"payload": 1}""")]
    [InlineData("""{"must_understand": true}""")]
    [InlineData("""{"must_understand": "false"}""")]
    [InlineData("5")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void UnknownFieldOtherwiseIsAnError(string value)
    {
        var e = Assert.Throws<ZarrFormatException>(() => MetadataDocs.ParseV3(MetadataDocs.V3Array().With("my_ext", value)));
        Assert.Contains("'a/zarr.json'", e.Message);
        Assert.Contains("my_ext", e.Message);
    }

    [Fact]
    public void GroupsFollowTheSameRule()
    {
        var ok = GroupMetadata.ParseV3(MetadataDocs.V3Group().With("g_ext", """{"must_understand": false, "v": 2}"""), "g/zarr.json");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"must_understand": false, "v": 2}"""), ok.ToV3Json()["g_ext"]));
        Assert.True(JsonNode.DeepEquals(ok.ToV3Json()["g_ext"], ok.WithAttributes(new JsonObject()).ToV3Json()["g_ext"]));
        var e = Assert.Throws<ZarrFormatException>(() => GroupMetadata.ParseV3(MetadataDocs.V3Group().With("g_ext", "{}"), "g/zarr.json"));
        Assert.Contains("'g/zarr.json'", e.Message);
        Assert.Contains("g_ext", e.Message);
    }

    [Fact]
    public void ACodecThatNeedNotBeUnderstoodIsSkipped()
    {
        var m = MetadataDocs.ParseV3(MetadataDocs.V3Array(codecs: """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"x.unknown","must_understand":false}]"""));
        var p = m.CreatePipeline(CodecRegistry.Default, "a/zarr.json");
        Assert.Equal(["bytes"], p.Codecs.Select(c => c.Name));
    }
}
