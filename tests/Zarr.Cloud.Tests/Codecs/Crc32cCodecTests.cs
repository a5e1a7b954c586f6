using System.Buffers.Binary;
using static Zarr.Cloud.Tests.Support.CodecTestHelpers;

namespace Zarr.Cloud.Tests.Codecs;

public class Crc32cCodecTests
{
    /// <summary>Bit-at-a-time CRC-32C (reflected polynomial 0x82F63B78), the definition the codec must match.</summary>
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void KnownVector()
    {
        Assert.Equal(0xE3069283u, Crc32cCodec.Compute("123456789"u8));
        Assert.Equal(0u, Crc32cCodec.Compute([]));
    }

    [Fact]
    public void MatchesTheBitwiseDefinitionForEveryLengthAndAlignment()
    {
        var data = TestData.RandomBytes(300, 5);
        for (int start = 0; start < 9; start++)
            for (int length = 0; start + length <= data.Length; length += 1 + length / 4)
                Assert.Equal(Reference(data.AsSpan(start, length)), Crc32cCodec.Compute(data.AsSpan(start, length)));
    }

    [Fact]
    public void EncodeAppendsTheChecksumLittleEndian()
    {
        var encoded = new Crc32cCodec().Encode("123456789"u8).ToArrayAndDispose();
        Assert.Equal("123456789"u8.ToArray(), encoded[..9]);
        Assert.Equal(Hex("839206e3"), encoded[9..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(1001)]
    public void RoundTrip(int length)
    {
        var codec = new Crc32cCodec();
        var data = TestData.RandomBytes(length, length);
        var encoded = codec.Encode(data).ToArrayAndDispose();
        Assert.Equal(length + 4, encoded.Length);
        Assert.Equal(Reference(data), BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(length)));
        Assert.Equal(data, codec.Decode(encoded, length).ToArrayAndDispose());
        Assert.Equal(data, codec.Decode(encoded, null).ToArrayAndDispose());
        var into = new byte[length];
        codec.DecodeInto(encoded, into);
        Assert.Equal(data, into);
    }

    [Fact]
    public void JsonHasNoConfiguration() => Assert.Equal("{\"name\":\"crc32c\"}", new Crc32cCodec().ToJson().ToJsonString());
}
