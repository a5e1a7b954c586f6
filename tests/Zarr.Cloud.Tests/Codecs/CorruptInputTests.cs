using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>
/// Bad input must fail with <see cref="ZarrCodecException"/> and nothing else, and never make a decoder allocate
/// what the data claims.
/// </summary>
public class CorruptInputTests
{
    public static TheoryData<string> Compressors => new() { "gzip:5", "zlib:1", "zstd:3", "zstd:3:checksum" };

    private static readonly byte[] Data = TestData.CompressibleBytes(50_000, 11);

    /// <summary>Every way of decoding must throw exactly ZarrCodecException.</summary>
    private static void AssertEveryDecodeFails(IBytesToBytesCodec codec, byte[] encoded, int expectedLength)
    {
        var e1 = Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, expectedLength).Dispose());
        var e2 = Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, null).Dispose());
        var e3 = Assert.Throws<ZarrCodecException>(() => codec.DecodeInto(encoded, new byte[expectedLength]));
        foreach (var e in new[] { e1, e2, e3 })
        {
            Assert.Equal(codec.Name, e.Codec);
            Assert.Null(e.Key);
        }
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void TruncatedStreams(string name)
    {
        var codec = CompressorTests.Create(name);
        var encoded = codec.Encode(Data).ToArrayAndDispose();
        foreach (var cut in new[] { encoded.Length / 2, encoded.Length - 9, 10, 4, 1, 0 })
            AssertEveryDecodeFails(codec, encoded[..cut], Data.Length);
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void TruncatedByTheLastBytes(string name)
    {
        // The end of a stream holds its checksum (gzip CRC-32 and size, zlib Adler-32, zstd xxhash when asked):
        // losing it is truncation too.
        var codec = CompressorTests.Create(name);
        var encoded = codec.Encode(Data).ToArrayAndDispose();
        AssertEveryDecodeFails(codec, encoded[..^1], Data.Length);
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void Garbage(string name)
    {
        var codec = CompressorTests.Create(name);
        for (int seed = 0; seed < 20; seed++)
            AssertEveryDecodeFails(codec, TestData.RandomBytes(200 + seed * 37, seed), 1000);
    }

    [Theory]
    [InlineData("gzip:5")]
    [InlineData("zlib:1")]
    [InlineData("zstd:3:checksum")] // without a checksum, zstd cannot always tell a flipped literal byte
    public void AFlippedByteInTheMiddle(string name)
    {
        var codec = CompressorTests.Create(name);
        var encoded = codec.Encode(TestData.RandomBytes(5000, 2)).ToArrayAndDispose();
        encoded[encoded.Length / 2] ^= 0x10;
        AssertEveryDecodeFails(codec, encoded, 5000);
    }

    [Theory]
    [MemberData(nameof(Compressors))]
    public void ADecodedSizeOtherThanExpected(string name)
    {
        var codec = CompressorTests.Create(name);
        var encoded = codec.Encode(Data).ToArrayAndDispose();
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, Data.Length - 1).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, Data.Length + 1).Dispose());
        Assert.Throws<ZarrCodecException>(() => codec.DecodeInto(encoded, new byte[Data.Length + 100]));
        Assert.Throws<ZarrCodecException>(() => codec.DecodeInto(encoded, new byte[10]));
    }

    /// <summary>A zstd frame header with a 4-byte content size and one empty raw block: it claims much, holds nothing.</summary>
    private static byte[] ZstdFrameClaiming(uint contentSize)
    {
        var f = new byte[] { 0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0, 0x01, 0x00, 0x00 };
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(5), contentSize);
        return f;
    }

    [Theory]
    [InlineData(0xFFFF_FFFFu)]
    [InlineData(1u << 30)]
    [InlineData(512u << 20)]
    [InlineData(64u << 20)]
    public void AZstdFrameClaimingHugeContentFailsFastWithoutAllocatingIt(uint claimed)
    {
        var codec = new ZstdCodec();
        var frame = ZstdFrameClaiming(claimed);
        codec.Decode(ZstdFrameClaiming(0), null).Dispose(); // warm up the thread's decompressor
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ZarrCodecException>(() => codec.Decode(frame, null).Dispose());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"decoding a {frame.Length}-byte frame allocated {allocated} bytes");
        Assert.Equal("zstd", e.Codec);
        Assert.Throws<ZarrCodecException>(() => codec.Decode(frame, 1000).Dispose());
    }

    [Fact]
    public void AZstdFrameClaimingHugeContentInAStringPipeline()
    {
        // Strings have no decoded size known in advance: the zstd size claim is all there is.
        var spec = Spec(ZarrDataType.String, 4);
        var pipeline = new CodecPipeline(spec, [], new VLenUtf8Codec(), [new ZstdCodec()]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ZarrCodecException>(() => pipeline.Decode(ZstdFrameClaiming(0xFFFF_FFF0u)).Dispose());
        Assert.Throws<ZarrCodecException>(() => pipeline.Decode(ZstdFrameClaiming(300u << 20)).Dispose());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20);
    }

    [Fact]
    public void CrcMismatch()
    {
        var codec = new Crc32cCodec();
        var encoded = codec.Encode(TestData.RandomBytes(100)).ToArrayAndDispose();
        var dataFlipped = (byte[])encoded.Clone();
        dataFlipped[50] ^= 1;
        var crcFlipped = (byte[])encoded.Clone();
        crcFlipped[^2] ^= 0x80;
        var e = Assert.Throws<ZarrCodecException>(() => codec.Decode(dataFlipped, 100).Dispose());
        Assert.Contains("checksum", e.Message);
        AssertEveryDecodeFails(codec, dataFlipped, 100);
        AssertEveryDecodeFails(codec, crcFlipped, 100);
        AssertEveryDecodeFails(codec, encoded[..3], 100);
        AssertEveryDecodeFails(codec, [], 100);
        Assert.Throws<ZarrCodecException>(() => codec.Decode(encoded, 99).Dispose());
    }

    // ------------------------------------------------------------------ vlen-utf8

    private static ZarrCodecException VLenFails(string hex, int elements)
    {
        var spec = Spec(ZarrDataType.String, elements);
        var e = Assert.Throws<ZarrCodecException>(() => new VLenUtf8Codec().Decode(Hex(hex), spec).Dispose());
        Assert.Equal("vlen-utf8", e.Codec);
        return e;
    }

    [Fact]
    public void VLenCountLargerThanTheChunk()
    {
        VLenFails("03000000" + "0100000061" + "0100000062" + "0100000063", 2);
        VLenFails("ffffffff", 2); // must not allocate four billion strings
    }

    [Fact]
    public void VLenCountSmallerThanTheChunk() => VLenFails("01000000" + "0100000061", 2);

    [Theory]
    [InlineData("02000000" + "0100000061" + "0500000062")]            // a length past the end
    [InlineData("02000000" + "0100000061" + "ffffffff62")]            // a length of 4 GB
    [InlineData("02000000" + "0100000061" + "000000")]                 // a length cut short
    [InlineData("02000000" + "0100000061")]                            // an item missing
    [InlineData("020000")]                                             // no count
    [InlineData("")]
    public void VLenTruncated(string hex) => VLenFails(hex, 2);

    [Theory]
    [InlineData("ff")]         // never valid
    [InlineData("c080")]       // overlong NUL
    [InlineData("eda080")]     // a UTF-16 surrogate
    [InlineData("e282")]       // a sequence cut short
    [InlineData("f4908080")]   // past U+10FFFF
    public void VLenInvalidUtf8(string item)
    {
        var len = (item.Length / 2).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + "000000";
        var e = VLenFails("01000000" + len + item, 1);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void VLenTrailingBytes() => VLenFails("01000000" + "0100000061" + "00", 1);

    // ------------------------------------------------------------------ through a pipeline

    [Fact]
    public void UncompressedChunkOfTheWrongSize()
    {
        var spec = Spec(ZarrDataType.Float64, 10);
        var pipeline = new CodecPipeline(spec, [], new BytesCodec(false), []);
        Assert.Throws<ZarrCodecException>(() => pipeline.Decode(new byte[79]).Dispose());
        Assert.Throws<ZarrCodecException>(() => pipeline.Decode(new byte[81]).Dispose());
        Assert.Throws<ZarrCodecException>(() => pipeline.TryDecodeInto(new byte[79], new byte[80]));
    }

    [Fact]
    public void CompressedChunkThatDecodesToTheWrongSize()
    {
        var spec = Spec(ZarrDataType.Float64, 10);
        foreach (var compressor in new IBytesToBytesCodec[] { new GzipCodec(), new ZlibCodec(), new ZstdCodec(), new Crc32cCodec() })
        {
            var pipeline = new CodecPipeline(spec, [], new BytesCodec(false), [compressor]);
            var tooShort = compressor.Encode(new byte[72]).ToArrayAndDispose();
            var tooLong = compressor.Encode(new byte[88]).ToArrayAndDispose();
            Assert.Throws<ZarrCodecException>(() => pipeline.Decode(tooShort).Dispose());
            Assert.Throws<ZarrCodecException>(() => pipeline.Decode(tooLong).Dispose());
            Assert.Throws<ZarrCodecException>(() => pipeline.TryDecodeInto(tooShort, new byte[80]));
            Assert.Throws<ZarrCodecException>(() => pipeline.TryDecodeInto(tooLong, new byte[80]));
        }
    }

    [Fact]
    public void GarbageThroughEveryStageOfAPipeline()
    {
        var spec = Spec(ZarrDataType.Int32, 8, 8);
        var pipeline = new CodecPipeline(spec, [new TransposeCodec([1, 0])], new BytesCodec(true), [new ZstdCodec(), new GzipCodec(), new Crc32cCodec()]);
        for (int seed = 0; seed < 10; seed++)
            Assert.Throws<ZarrCodecException>(() => pipeline.Decode(TestData.RandomBytes(300, seed)).Dispose());
    }

    [Fact]
    public void WithKeyNamesTheChunkOnce()
    {
        var e = new ZarrCodecException(null, "gzip", "corrupt data");
        var keyed = e.WithKey("a/c/0/1");
        Assert.Equal("a/c/0/1", keyed.Key);
        Assert.Contains("'a/c/0/1'", keyed.Message);
        Assert.Contains("gzip", keyed.Message);
        Assert.Same(keyed, keyed.WithKey("other"));
    }
}
