using System.IO.Compression;
using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>Round trips and formats of the bytes → bytes compressors: gzip, zlib, zstd.</summary>
public class CompressorTests
{
    public static TheoryData<string> Compressors => new()
    {
        "gzip:0", "gzip:1", "gzip:5", "gzip:9",
        "zlib:0", "zlib:1", "zlib:9",
        "zstd:-5", "zstd:0", "zstd:1", "zstd:3", "zstd:19", "zstd:3:checksum",
    };

    public static IBytesToBytesCodec Create(string name)
    {
        var parts = name.Split(':');
        int level = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "gzip" => new GzipCodec(level),
            "zlib" => new ZlibCodec(level),
            _ => new ZstdCodec(level, checksum: parts.Length > 2),
        };
    }

    public static IEnumerable<byte[]> Inputs() =>
    [
        [],
        [42],
        TestData.RandomBytes(10_000),
        TestData.CompressibleBytes(200_000),
        new byte[70_000],
    ];

    [Theory]
    [MemberData(nameof(Compressors))]
    public void RoundTripsEveryInput(string name)
    {
        var codec = Create(name);
        foreach (var data in Inputs())
        {
            var encoded = codec.Encode(data).ToArrayAndDispose();
            Assert.Equal(data, codec.Decode(encoded, data.Length).ToArrayAndDispose());
            Assert.Equal(data, codec.Decode(encoded, null).ToArrayAndDispose());
            var into = new byte[data.Length];
            codec.DecodeInto(encoded, into);
            Assert.Equal(data, into);
        }
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void CompressibleDataShrinksUnlessLevelZero(string name)
    {
        var codec = Create(name);
        var data = TestData.CompressibleBytes(200_000);
        int size = codec.Encode(data).ToArrayAndDispose().Length;
        bool stored = !name.StartsWith("zstd", StringComparison.Ordinal) && name.EndsWith(":0", StringComparison.Ordinal); // zstd's level 0 is its default
        if (stored) Assert.True(size >= data.Length, $"{name}: stored blocks are not smaller");
        else Assert.True(size < data.Length / 2, $"{name}: {size} bytes from {data.Length}");
    }

    [Fact]
    public void OutputsAreInTheirFormats()
    {
        var data = TestData.CompressibleBytes(1000);
        var gz = new GzipCodec().Encode(data).ToArrayAndDispose();
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, gz[..3]);
        var zl = new ZlibCodec().Encode(data).ToArrayAndDispose();
        Assert.Equal(8, zl[0] & 0x0f);
        Assert.Equal(0, (zl[0] * 256 + zl[1]) % 31);
        var zs = new ZstdCodec().Encode(data).ToArrayAndDispose();
        Assert.Equal(Hex("28b52ffd"), zs[..4]);
        // A standard decoder reads what we write.
        using var gin = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var back = new MemoryStream();
        gin.CopyTo(back);
        Assert.Equal(data, back.ToArray());
        using var zin = new ZLibStream(new MemoryStream(zl), CompressionMode.Decompress);
        back.SetLength(0);
        zin.CopyTo(back);
        Assert.Equal(data, back.ToArray());
    }

    [Fact]
    public void EmptyInputEncodesToAValidStream()
    {
        // System.IO.Compression writes nothing for no input; other decoders need a header and a trailer.
        var gz = new GzipCodec().Encode([]).ToArrayAndDispose();
        var zl = new ZlibCodec().Encode([]).ToArrayAndDispose();
        var zs = new ZstdCodec().Encode([]).ToArrayAndDispose();
        Assert.NotEmpty(gz);
        Assert.NotEmpty(zl);
        Assert.NotEmpty(zs);
        using var gin = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        Assert.Equal(-1, gin.ReadByte());
        using var zin = new ZLibStream(new MemoryStream(zl), CompressionMode.Decompress);
        Assert.Equal(-1, zin.ReadByte());
        // And the same bytes as the reference tools write for no input (gzip -n, CPython zlib.compress).
        Assert.Equal(Hex("1f8b080000000000000303000000000000000000"), gz);
        Assert.Equal(Hex("789c030000000001"), zl);
    }

    private static readonly byte[] FixtureText = "Zarr.Cloud fixture: hello hello hello hello zarr!"u8.ToArray();

    // Written by other implementations: GNU gzip -9 -n, CPython's zlib.compress(level 6), the zstd CLI
    // (level 19 with --check; level 3 without; and from a pipe, so the frame has no content size).
    public static TheoryData<string, string> Fixtures => new()
    {
        { "gzip", "1f8b08000000000002038b4a2c2ad273cec92f4d5148cbac28292d4ab552c848cdc9c9c7425601d52a02008314772931000000" },
        { "zlib", "789c8b4a2c2ad273cec92f4d5148cbac28292d4ab552c848cdc9c9c7425601d52a0200c40111f6" },
        { "zstd", "28b52ffd2431250100f05a6172722e436c6f756420666978747572653a2068656c6c6f7a6172722101002529638364c84b" },
        { "zstd", "28b52ffd2031250100f05a6172722e436c6f756420666978747572653a2068656c6c6f7a617272210100252963" },
        { "zstd", "28b52ffd0058250100f05a6172722e436c6f756420666978747572653a2068656c6c6f7a617272210100252963" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReadsWhatOtherImplementationsWrite(string codec, string hex)
    {
        var c = Create(codec + ":1");
        var encoded = Hex(hex);
        Assert.Equal(FixtureText, c.Decode(encoded, null).ToArrayAndDispose());
        Assert.Equal(FixtureText, c.Decode(encoded, FixtureText.Length).ToArrayAndDispose());
    }

    [Fact]
    public void ZstdChecksumFlagFollowsTheOption()
    {
        var data = TestData.CompressibleBytes(5000);
        var with = new ZstdCodec(3, checksum: true).Encode(data).ToArrayAndDispose();
        var without = new ZstdCodec(3, checksum: false).Encode(data).ToArrayAndDispose();
        // Frame header descriptor (byte 4), bit 2: content checksum flag.
        Assert.Equal(4, with[4] & 4);
        Assert.Equal(0, without[4] & 4);
        Assert.Equal(without.Length + 4, with.Length);
    }

    [Fact]
    public void ZstdChecksumCatchesACorruptChecksum()
    {
        var data = TestData.CompressibleBytes(5000);
        var codec = new ZstdCodec(3, checksum: true);
        var encoded = codec.Encode(data).ToArrayAndDispose();
        encoded[^1] ^= 0x55;
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, data.Length).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, null).Dispose());
    }

    [Fact]
    public void ConfigurationJson()
    {
        Assert.Equal("{\"name\":\"gzip\",\"configuration\":{\"level\":7}}", new GzipCodec(7).ToJson().ToJsonString());
        Assert.Equal("{\"name\":\"numcodecs.zlib\",\"configuration\":{\"level\":2}}", new ZlibCodec(2).ToJson().ToJsonString());
        Assert.Equal("{\"name\":\"zstd\",\"configuration\":{\"level\":4,\"checksum\":true}}", new ZstdCodec(4, true).ToJson().ToJsonString());
        Assert.Equal("{\"id\":\"zstd\",\"level\":4}", new ZstdCodec(4).ToV2Json().ToJsonString());
        Assert.Equal("{\"id\":\"zstd\",\"level\":4,\"checksum\":true}", new ZstdCodec(4, true).ToV2Json().ToJsonString());
    }

    [Theory]
    [InlineData("gzip", -1)]
    [InlineData("gzip", 10)]
    [InlineData("zlib", 10)]
    [InlineData("zstd", 23)]
    public void LevelsOutOfRangeAreRejected(string codec, int level) => Assert.Throws<FormatException>(() => Create($"{codec}:{level}"));

    [Fact]
    public void ZstdCodecsOfDifferentLevelsInterleavedOnOneThread()
    {
        // The compressor is cached per thread by level: switching levels must not reuse the wrong one.
        var data = TestData.CompressibleBytes(100_000, 9);
        var a = new ZstdCodec(1);
        var b = new ZstdCodec(19, checksum: true);
        for (int i = 0; i < 3; i++)
        {
            var ea = a.Encode(data).ToArrayAndDispose();
            var eb = b.Encode(data).ToArrayAndDispose();
            Assert.Equal(0, ea[4] & 4);
            Assert.Equal(4, eb[4] & 4);
            Assert.Equal(data, a.Decode(eb, data.Length).ToArrayAndDispose());
            Assert.Equal(data, b.Decode(ea, data.Length).ToArrayAndDispose());
        }
    }
}
