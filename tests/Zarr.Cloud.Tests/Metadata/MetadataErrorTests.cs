using System.Text;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Metadata;

/// <summary>Bad metadata, opened as a user would: a ZarrFormatException naming the document's key and the field.</summary>
public class MetadataErrorTests
{
    private static async Task<ZarrFormatException> OpenFails(string key, string document)
    {
        var store = new MemoryStore();
        await store.SetAsync(key, Encoding.UTF8.GetBytes(document), TestData.Ct);
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "g/a", cancellationToken: TestData.Ct));
        Assert.Equal(key, e.Key);
        Assert.Contains($"'{key}'", e.Message);
        return e;
    }

    // path to change (dotted), new JSON (null removes it), text the message must contain
    public static TheoryData<string, string?, string> V3Cases => new()
    {
        { "zarr_format", null, "zarr_format" },
        { "node_type", null, "node_type" },
        { "shape", null, "shape" },
        { "data_type", null, "data_type" },
        { "chunk_grid", null, "chunk_grid" },
        { "chunk_grid.configuration", null, "chunk_grid.configuration" },
        { "chunk_grid.configuration.chunk_shape", null, "chunk_shape" },
        { "chunk_key_encoding", null, "chunk_key_encoding" },
        { "fill_value", null, "fill_value" },
        { "codecs", null, "codecs" },
        { "zarr_format", "\"3\"", "zarr_format" },
        { "zarr_format", "2", "zarr_format" },
        { "node_type", "5", "node_type" },
        { "node_type", "\"folder\"", "node_type" },
        { "shape", "\"10x20\"", "shape" },
        { "shape", "[10, 2.5]", "shape" },
        { "shape", "[10, -20]", "shape" },
        { "shape", "[10]", "chunk_shape" },
        { "chunk_grid.configuration.chunk_shape", "[5, 0]", "chunk_shape" },
        { "chunk_grid.configuration.chunk_shape", "[5, 5, 5]", "chunk_shape" },
        { "chunk_grid.configuration.chunk_shape", "[5, 4294967296]", "chunk_shape" },
        { "chunk_grid", "\"regular\"", "chunk_grid" },
        { "chunk_grid.name", "\"rectilinear\"", "rectilinear" },
        { "data_type", "5", "data_type" },
        { "data_type", "\"float128\"", "data_type" },
        { "data_type", """{"name":"numpy.datetime64"}""", "data_type" },
        { "chunk_key_encoding", "5", "chunk_key_encoding" },
        { "chunk_key_encoding", "\"hashed\"", "chunk_key_encoding" },
        { "chunk_key_encoding.name", "\"hashed\"", "chunk_key_encoding" },
        { "chunk_key_encoding.configuration.separator", "\"-\"", "separator" },
        { "fill_value", "\"abc\"", "fill_value" },
        { "fill_value", "null", "fill_value" },
        { "fill_value", "[0, 0]", "fill_value" },
        { "codecs", "{}", "codecs" },
        { "codecs", "[]", "codecs" },
        { "codecs", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"lz5"}]""", "lz5" },
        { "codecs", "[5]", "codec" },
        { "codecs", """[{"name":"gzip","configuration":{"level":5}}]""", "array to bytes" },
        { "codecs", """[{"name":"bytes","configuration":{"endian":"middle"}}]""", "endian" },
        { "codecs", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"gzip","configuration":{"level":"high"}}]""", "level" },
        { "codecs", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"gzip","configuration":{"level":12}}]""", "level" },
        { "codecs", """[{"name":"transpose","configuration":{"order":[0,0]}},{"name":"bytes","configuration":{"endian":"little"}}]""", "order" },
        { "codecs", """[{"name":"transpose","configuration":{"order":[0,null]}},{"name":"bytes","configuration":{"endian":"little"}}]""", "order" },
        { "codecs", """[{"name":"bytes","configuration":{"endian":"little"}},{"name":"bytes","configuration":{"endian":"little"}}]""", "bytes" },
        { "codecs", """[{"name":"vlen-utf8"}]""", "vlen-utf8" },
        { "attributes", "[]", "attributes" },
        { "dimension_names", "\"x\"", "dimension_names" },
        { "dimension_names", "[\"x\"]", "dimension_names" },
        { "dimension_names", "[\"x\", 5]", "dimension_names" },
        { "storage_transformers", """[{"name":"x"}]""", "storage_transformers" },
        { "surprise", "1", "surprise" },
    };

    [Theory]
    [MemberData(nameof(V3Cases))]
    public async Task V3(string path, string? json, string field)
    {
        var e = await OpenFails("g/a/zarr.json", MetadataDocs.V3Array().With(path, json).ToJsonString());
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public async Task V3StringDataTypeWithTheBytesCodec()
    {
        var e = await OpenFails("g/a/zarr.json", MetadataDocs.V3Array("\"string\"", "\"\"").ToJsonString());
        Assert.Contains("vlen-utf8", e.Message);
    }

    public static TheoryData<string, string?, string> V2Cases => new()
    {
        { "zarr_format", null, "zarr_format" },
        { "shape", null, "shape" },
        { "chunks", null, "chunks" },
        { "dtype", null, "dtype" },
        { "compressor", null, "compressor" },
        { "fill_value", null, "fill_value" },
        { "order", null, "order" },
        { "zarr_format", "3", "zarr_format" },
        { "shape", "\"x\"", "shape" },
        { "shape", "[-3, 4]", "shape" },
        { "chunks", "[5, 0]", "chunks" },
        { "chunks", "[5]", "chunks" },
        { "chunks", "[5, \"5\"]", "chunks" },
        { "dtype", "\"<x4\"", "dtype" },
        { "dtype", "5", "dtype" },
        { "dtype", """[["x", "<f4"]]""", "dtype" },
        { "dtype", "\"|O\"", "vlen-utf8" },
        { "compressor", "5", "compressor" },
        { "compressor", """{"id":"lz5"}""", "lz5" },
        { "compressor", """{"level":1}""", "id" },
        { "compressor", """{"id":"zlib","level":"x"}""", "level" },
        { "filters", "5", "filters" },
        { "filters", """[{"id":"delta9"}]""", "delta9" },
        { "fill_value", "\"abc\"", "fill_value" },
        { "fill_value", "[1]", "fill_value" },
        { "order", "\"X\"", "order" },
        { "order", "1", "order" },
        { "dimension_separator", "\"-\"", "dimension_separator" },
    };

    [Theory]
    [MemberData(nameof(V2Cases))]
    public async Task V2(string path, string? json, string field)
    {
        var e = await OpenFails("g/a/.zarray", MetadataDocs.V2Array().With(path, json).ToJsonString());
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("g/a/zarr.json", "{\"zarr_format\": 3,")]
    [InlineData("g/a/zarr.json", "not json")]
    [InlineData("g/a/zarr.json", "")]
    [InlineData("g/a/zarr.json", "[1, 2]")]
    [InlineData("g/a/zarr.json", "null")]
    [InlineData("g/a/.zarray", "{\"zarr_format\": 2, }")]
    [InlineData("g/a/.zarray", "\"text\"")]
    public async Task MalformedJson(string key, string document) => await OpenFails(key, document);

    [Fact]
    public async Task ZAttrsThatAreNotAnObject()
    {
        var store = new MemoryStore();
        await store.SetJsonAsync("g/a/.zarray", MetadataDocs.V2Array(), TestData.Ct);
        await store.SetAsync("g/a/.zattrs", "[1]"u8.ToArray(), TestData.Ct);
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.OpenAsync(store, "g/a", cancellationToken: TestData.Ct));
        Assert.Equal("g/a/.zattrs", e.Key);
    }

    [Fact]
    public async Task GroupDocumentErrorsNameTheGroupKey()
    {
        var store = new MemoryStore();
        await store.SetAsync("g/zarr.json", """{"zarr_format": 3, "node_type": "group", "attributes": 5}"""u8.ToArray(), TestData.Ct);
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrGroup.OpenAsync(store, "g", cancellationToken: TestData.Ct));
        Assert.Contains("'g/zarr.json'", e.Message);
        Assert.Contains("attributes", e.Message);
    }

    [Fact]
    public void ExceptionTypesAreTheOnesACallerCatches()
    {
        Assert.IsAssignableFrom<FormatException>(new ZarrFormatException("k", "m"));
        Assert.IsAssignableFrom<IOException>(new Zarr.Cloud.Codecs.ZarrCodecException("k", "c", "m"));
        Assert.IsAssignableFrom<IOException>(new StoreException("k", "b", "m"));
    }
}
