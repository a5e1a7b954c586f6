using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

public class VLenUtf8CodecTests
{
    [Fact]
    public void KnownEncoding()
    {
        // numcodecs' layout: uint32 count, then (uint32 length, UTF-8 bytes) per item, all little-endian.
        var spec = Spec(ZarrDataType.String, 3);
        using var chunk = ChunkData.FromStrings(["a", "", "é"]);
        var encoded = new VLenUtf8Codec().Encode(chunk, spec).ToArrayAndDispose();
        Assert.Equal(Hex("03000000" + "01000000" + "61" + "00000000" + "02000000" + "c3a9"), encoded);
    }

    [Fact]
    public void RoundTripsEmptyUnicodeAndEmoji()
    {
        string?[] values = ["", "plain", "", "héllo wörld", "日本語のテキスト", "🎉🚀👩‍👩‍👧", "mixed é 🎉 ñ", new string('x', 5000), "\0inner nul"];
        var spec = Spec(ZarrDataType.String, 3, 3);
        var codec = new VLenUtf8Codec();
        using var chunk = ChunkData.FromStrings(values);
        var encoded = codec.Encode(chunk, spec).ToArrayAndDispose();
        using var decoded = codec.Decode(encoded, spec);
        Assert.Equal(values, decoded.Strings);
        Assert.False(codec.TryDecodeInto(encoded, spec, []));
    }

    [Fact]
    public void NullStringsAreWrittenEmpty()
    {
        var spec = Spec(ZarrDataType.String, 2);
        var codec = new VLenUtf8Codec();
        using var chunk = ChunkData.FromStrings([null, "x"]);
        using var decoded = codec.Decode(codec.Encode(chunk, spec).ToArrayAndDispose(), spec);
        Assert.Equal(new string?[] { "", "x" }, decoded.Strings!);
    }

    [Fact]
    public void JsonHasTheName() => Assert.Equal("{\"name\":\"vlen-utf8\"}", new VLenUtf8Codec().ToJson().ToJsonString());
}
