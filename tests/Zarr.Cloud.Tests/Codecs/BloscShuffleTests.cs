using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>The shuffles against their definitions (c-blosc's layouts), vector and scalar paths, every type size.</summary>
public unsafe class BloscShuffleTests
{
    private static byte[] Random(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] ShuffleByDefinition(int t, byte[] src)
    {
        int n = src.Length / t;
        var d = (byte[])src.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < t; j++) d[j * n + i] = src[i * t + j];
        return d;
    }

    private static byte[] BitShuffleByDefinition(int t, byte[] src)
    {
        int n = src.Length / t;
        if (n % 8 != 0) return (byte[])src.Clone();
        var d = (byte[])src.Clone();
        for (int j = 0; j < t; j++)
            for (int k = 0; k < 8; k++)
                for (int m = 0; m < n / 8; m++)
                {
                    int v = 0;
                    for (int b = 0; b < 8; b++) v |= ((src[(8 * m + b) * t + j] >> k) & 1) << b;
                    d[(j * 8 + k) * (n / 8) + m] = (byte)v;
                }
        return d;
    }

    private static byte[] Run(Action<IntPtr, IntPtr, IntPtr> f, byte[] src)
    {
        var dst = new byte[src.Length];
        var tmp = new byte[src.Length];
        fixed (byte* s = src)
        fixed (byte* d = dst)
        fixed (byte* t = tmp)
            f((IntPtr)s, (IntPtr)d, (IntPtr)t);
        return dst;
    }

    public static TheoryData<bool, bool> VectorModes() => new() { { true, true }, { true, false }, { false, false } };

    [Theory]
    [MemberData(nameof(VectorModes))]
    public void ByteShuffleMatchesTheLayoutForEveryTypeSize(bool vectors, bool gfni)
    {
        var (was, wasGfni) = (BloscShuffle.UseVectors, BloscShuffle.UseGfni);
        (BloscShuffle.UseVectors, BloscShuffle.UseGfni) = (vectors, gfni);
        try
        {
            for (int t = 1; t <= 255; t++)
                foreach (var len in new[] { 0, 1, t - 1, t, 7 * t + 3, 31 * t, 32 * t, 33 * t + 1, 64 * t + t / 2, 1000 })
                {
                    if (len < 0) continue;
                    var src = Random(len, t * 1000 + len);
                    var shuffled = Run((s, d, _) => BloscShuffle.Shuffle(t, (byte*)s, (byte*)d, len), src);
                    Assert.True(ShuffleByDefinition(t, src).AsSpan().SequenceEqual(shuffled), $"shuffle t={t} len={len}");
                    var back = Run((s, d, _) => BloscShuffle.Unshuffle(t, (byte*)s, (byte*)d, len), shuffled);
                    Assert.True(src.AsSpan().SequenceEqual(back), $"unshuffle t={t} len={len}");
                }
        }
        finally
        {
            (BloscShuffle.UseVectors, BloscShuffle.UseGfni) = (was, wasGfni);
        }
    }

    [Theory]
    [MemberData(nameof(VectorModes))]
    public void BitShuffleMatchesTheLayoutForEveryTypeSize(bool vectors, bool gfni)
    {
        var (was, wasGfni) = (BloscShuffle.UseVectors, BloscShuffle.UseGfni);
        (BloscShuffle.UseVectors, BloscShuffle.UseGfni) = (vectors, gfni);
        try
        {
            for (int t = 1; t <= 255; t++)
                foreach (var len in new[] { 0, 1, t, 8 * t, 8 * t + 5, 9 * t, 64 * t, 256 * t + t - 1, 264 * t, 1000 })
                {
                    var src = Random(len, t * 7 + len);
                    var shuffled = Run((s, d, tmp) => BloscShuffle.BitShuffle(t, (byte*)s, (byte*)d, (byte*)tmp, len), src);
                    Assert.True(BitShuffleByDefinition(t, src).AsSpan().SequenceEqual(shuffled), $"bitshuffle t={t} len={len}");
                    var back = Run((s, d, tmp) => BloscShuffle.BitUnshuffle(t, (byte*)s, (byte*)d, (byte*)tmp, len), shuffled);
                    Assert.True(src.AsSpan().SequenceEqual(back), $"bitunshuffle t={t} len={len}");
                }
        }
        finally
        {
            (BloscShuffle.UseVectors, BloscShuffle.UseGfni) = (was, wasGfni);
        }
    }

    [Fact]
    public void LargeBlocksRoundTrip()
    {
        foreach (var t in new[] { 2, 4, 8, 16 })
        {
            var src = Random((1 << 18) + 3, t);
            var shuffled = Run((s, d, _) => BloscShuffle.Shuffle(t, (byte*)s, (byte*)d, src.Length), src);
            Assert.True(ShuffleByDefinition(t, src).AsSpan().SequenceEqual(shuffled), $"t={t}");
            var bits = Run((s, d, tmp) => BloscShuffle.BitShuffle(t, (byte*)s, (byte*)d, (byte*)tmp, 1 << 18), src[..(1 << 18)]);
            Assert.True(BitShuffleByDefinition(t, src[..(1 << 18)]).AsSpan().SequenceEqual(bits), $"bits t={t}");
        }
    }
}
