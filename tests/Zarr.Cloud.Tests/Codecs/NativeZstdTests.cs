using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>libzstd (when the system has it) and ZstdSharp decode the same frames to the same bytes, and reject the same corrupt ones.</summary>
[Collection(nameof(NativeZstdTests))]
[CollectionDefinition(nameof(NativeZstdTests), DisableParallelization = true)]
public class NativeZstdTests
{
    [Fact]
    public void DebianHasLibzstdAndItIsUsed()
    {
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libzstd.so.1") && !File.Exists("/usr/lib/aarch64-linux-gnu/libzstd.so.1"))
            Requirements.Missing("libzstd1 (Debian; a dependency of dpkg)");
        Assert.NotNull(NativeZstd.Library);
    }

    [Fact]
    public void BothDecodersAgreeOnValidAndCorruptFrames()
    {
        var rng = new Random(7);
        foreach (var (level, checksum, size) in new[] { (1, false, 1 << 20), (3, true, 100_000), (19, false, 4096), (-5, false, 1), (1, false, 0) })
        {
            var data = new byte[size];
            for (int i = 0; i < size; i++) data[i] = (byte)(Math.Sin(i * 0.001) * 40 + rng.Next(4));
            var codec = new ZstdCodec(level, checksum);
            using var encoded = codec.Encode(data);
            var native = Decode(codec, encoded.Span.ToArray(), size, true);
            var managed = Decode(codec, encoded.Span.ToArray(), size, false);
            Assert.Equal(data, native.Bytes);
            Assert.Equal(data, managed.Bytes);
            if (size < 16) continue;
            for (int k = 0; k < 50; k++)
            {
                var bad = encoded.Span.ToArray();
                switch (k % 3)
                {
                    case 0: bad[rng.Next(bad.Length)] ^= (byte)(1 << rng.Next(8)); break;
                    case 1: bad = bad[..rng.Next(bad.Length)]; break;
                    default: bad[rng.Next(Math.Min(bad.Length, 12))] = (byte)rng.Next(256); break;
                }
                var n = Decode(codec, bad, size, true);
                var m = Decode(codec, bad, size, false);
                // Either both decode to the same bytes (a flip in a literal without checksum can do that) or both refuse with ZarrCodecException.
                Assert.True(n.Error is null == (m.Error is null) || n.Error is ZarrCodecException && m.Error is ZarrCodecException, $"native: {n.Error?.Message}; managed: {m.Error?.Message}");
                if (n.Error is null && m.Error is null) Assert.Equal(m.Bytes, n.Bytes);
                Assert.True(n.Error is null or ZarrCodecException, n.Error?.GetType().Name);
                Assert.True(m.Error is null or ZarrCodecException, m.Error?.GetType().Name);
            }
        }
    }

    [Fact]
    public void BloscZstdFramesDecodeTheSameWithEitherDecoder()
    {
        var rng = new Random(11);
        foreach (var (shuffle, typeSize, size, blockSize) in new[] { (BloscShuffleMode.Shuffle, 2, 162_000, 0), (BloscShuffleMode.BitShuffle, 4, 1 << 20, 65536), (BloscShuffleMode.NoShuffle, 1, 777, 0) })
        {
            var data = new byte[size];
            for (int i = 0; i < size; i++) data[i] = (byte)(Math.Sin(i * 0.01) * 60 + rng.Next(3));
            var codec = new BloscCodec(BloscCompressor.Zstd, 5, shuffle, typeSize, blockSize);
            using var encoded = codec.Encode(data);
            Assert.Equal(data, Decode(b => codec.DecodeInto(encoded.Span, b), size, true).Bytes);
            Assert.Equal(data, Decode(b => codec.DecodeInto(encoded.Span, b), size, false).Bytes);
            for (int k = 0; k < 30; k++)
            {
                var bad = encoded.Span.ToArray();
                int at = 16 + rng.Next(bad.Length - 16);
                bad[at] ^= (byte)(1 << rng.Next(8));
                var n = Decode(b => codec.DecodeInto(bad, b), size, true);
                var m = Decode(b => codec.DecodeInto(bad, b), size, false);
                Assert.True(n.Error is null or ZarrCodecException, n.Error?.GetType().Name);
                Assert.True(m.Error is null or ZarrCodecException, m.Error?.GetType().Name);
                // A flipped bit inside a zstd stream without checksum may decode to different garbage in either
                // decoder; what both must do is refuse with ZarrCodecException or return, never crash or overrun.
            }
        }
    }

    private static (byte[]? Bytes, Exception? Error) Decode(Action<byte[]> decode, int size, bool native)
    {
        var before = NativeZstd.Enabled;
        NativeZstd.Enabled = native;
        try
        {
            var dest = new byte[size];
            decode(dest);
            return (dest, null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
        finally
        {
            NativeZstd.Enabled = before;
        }
    }

    private static (byte[]? Bytes, Exception? Error) Decode(ZstdCodec codec, byte[] encoded, int size, bool native)
        => Decode(b => codec.DecodeInto(encoded, b), size, native);
}
