using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// The byte shuffle and bit shuffle filters of c-blosc 1.x, with the same layout as the C library:
/// <list type="bullet">
/// <item>byte shuffle of a block of <c>n</c> whole elements of <c>t</c> bytes: output byte <c>j*n + i</c> is byte
/// <c>j</c> of element <c>i</c> (a transpose of an n × t byte matrix); bytes after the last whole element are copied;</item>
/// <item>bit shuffle, when the element count is a multiple of 8: <c>8*t</c> rows of <c>n/8</c> bytes, row <c>8*j + k</c>
/// holding bit <c>k</c> of byte <c>j</c> of every element, element <c>i</c> at bit <c>i % 8</c> of byte <c>i / 8</c>;
/// bytes after the last whole element are copied. When the count is not a multiple of 8 the whole block is copied.</item>
/// </list>
/// Byte shuffles of 2, 4, 8 and 16-byte elements are vectorised (AVX2 or SSE2 unpack networks), others are scalar;
/// the bit shuffle is a byte shuffle, an 8×8 bit transpose of every 64-bit word (Vector256/Vector128) and a byte
/// shuffle of 8-byte units. Every routine has a scalar path used when no vector unit is there (and for tails).
/// </summary>
internal static unsafe class BloscShuffle
{
    /// <summary>Vector paths on (tests turn them off to compare against the scalar paths).</summary>
    internal static bool UseVectors { get; set; } = true;

    private static bool Avx2On => UseVectors && Avx2.IsSupported;

    private static bool Sse2On => UseVectors && Sse2.IsSupported;

    /// <summary>Byte shuffle of a block of <paramref name="length"/> bytes of <paramref name="typeSize"/>-byte elements.</summary>
    public static void Shuffle(int typeSize, byte* src, byte* dest, int length)
    {
        int n = length / typeSize;
        if (typeSize == 1 || n == 0)
        {
            Buffer.MemoryCopy(src, dest, length, length);
            return;
        }
        int done = 0;
        if (Avx2On && typeSize is 2 or 4 or 8) done = ShuffleAvx2(typeSize, src, dest, n);
        else if (Sse2On && (typeSize == 16 || Ssse3.IsSupported && typeSize is 2 or 4 or 8)) done = ShuffleSse2(typeSize, src, dest, n);
        ShuffleScalar(typeSize, src, dest, n, done);
        int tail = length - n * typeSize;
        if (tail > 0) Buffer.MemoryCopy(src + n * typeSize, dest + n * typeSize, tail, tail);
    }

    /// <summary>The inverse of <see cref="Shuffle"/>.</summary>
    public static void Unshuffle(int typeSize, byte* src, byte* dest, int length)
    {
        int n = length / typeSize;
        if (typeSize == 1 || n == 0)
        {
            Buffer.MemoryCopy(src, dest, length, length);
            return;
        }
        int done = 0;
        if (Avx2On && typeSize is 2 or 4 or 8) done = UnshuffleAvx2(typeSize, src, dest, n);
        else if (Sse2On && typeSize is 2 or 4 or 8 or 16) done = UnshuffleSse2(typeSize, src, dest, n);
        UnshuffleScalar(typeSize, src, dest, n, done);
        int tail = length - n * typeSize;
        if (tail > 0) Buffer.MemoryCopy(src + n * typeSize, dest + n * typeSize, tail, tail);
    }

    /// <summary>Bit shuffle of a block; <paramref name="tmp"/> holds <paramref name="length"/> bytes of scratch.</summary>
    public static void BitShuffle(int typeSize, byte* src, byte* dest, byte* tmp, int length)
    {
        int n = length / typeSize;
        if (n % 8 != 0)
        {
            Buffer.MemoryCopy(src, dest, length, length);
            return;
        }
        int bytes = n * typeSize;
        // 1. bytes of each significance together (planes of n bytes)
        byte* planes = src;
        if (typeSize > 1)
        {
            Shuffle(typeSize, src, tmp, bytes);
            planes = tmp;
        }
        // 2. transpose the 8×8 bit matrix of every 8 bytes of a plane (8 elements): byte k of the word gets bit k of each
        TransposeBits(planes, tmp, bytes / 8);
        // 3. byte k of every word of a plane into row k of that plane
        for (int j = 0; j < typeSize; j++) Shuffle(8, tmp + (long)j * n, dest + (long)j * n, n);
        int tail = length - bytes;
        if (tail > 0) Buffer.MemoryCopy(src + bytes, dest + bytes, tail, tail);
    }

    /// <summary>The inverse of <see cref="BitShuffle"/>.</summary>
    public static void BitUnshuffle(int typeSize, byte* src, byte* dest, byte* tmp, int length)
    {
        int n = length / typeSize;
        if (n % 8 != 0)
        {
            Buffer.MemoryCopy(src, dest, length, length);
            return;
        }
        int bytes = n * typeSize;
        for (int j = 0; j < typeSize; j++) Unshuffle(8, src + (long)j * n, tmp + (long)j * n, n);
        if (typeSize == 1) TransposeBits(tmp, dest, bytes / 8);
        else
        {
            TransposeBits(tmp, tmp, bytes / 8);
            Unshuffle(typeSize, tmp, dest, bytes);
        }
        int tail = length - bytes;
        if (tail > 0) Buffer.MemoryCopy(src + bytes, dest + bytes, tail, tail);
    }

    // ---- 8×8 bit transposes: bit c of byte r ↔ bit r of byte c, in every 64-bit word (src may equal dest) ----

    private const ulong M7 = 0x00AA00AA00AA00AAUL, M14 = 0x0000CCCC0000CCCCUL, M28 = 0x00000000F0F0F0F0UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TransposeBits(ulong x)
    {
        ulong t = (x ^ (x >> 7)) & M7;
        x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & M14;
        x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & M28;
        return x ^ t ^ (t << 28);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> TransposeBits(Vector256<ulong> x)
    {
        var t = (x ^ Vector256.ShiftRightLogical(x, 7)) & Vector256.Create(M7);
        x ^= t ^ Vector256.ShiftLeft(t, 7);
        t = (x ^ Vector256.ShiftRightLogical(x, 14)) & Vector256.Create(M14);
        x ^= t ^ Vector256.ShiftLeft(t, 14);
        t = (x ^ Vector256.ShiftRightLogical(x, 28)) & Vector256.Create(M28);
        return x ^ t ^ Vector256.ShiftLeft(t, 28);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> TransposeBits(Vector128<ulong> x)
    {
        var t = (x ^ Vector128.ShiftRightLogical(x, 7)) & Vector128.Create(M7);
        x ^= t ^ Vector128.ShiftLeft(t, 7);
        t = (x ^ Vector128.ShiftRightLogical(x, 14)) & Vector128.Create(M14);
        x ^= t ^ Vector128.ShiftLeft(t, 14);
        t = (x ^ Vector128.ShiftRightLogical(x, 28)) & Vector128.Create(M28);
        return x ^ t ^ Vector128.ShiftLeft(t, 28);
    }

    /// <summary>Transposes the bits of <paramref name="words"/> 64-bit words.</summary>
    internal static void TransposeBits(byte* src, byte* dest, int words)
    {
        int i = 0;
        if (UseVectors && Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= words; i += 8)
            {
                var a = Vector256.Load((ulong*)src + i);
                var b = Vector256.Load((ulong*)src + i + 4);
                TransposeBits(a).Store((ulong*)dest + i);
                TransposeBits(b).Store((ulong*)dest + i + 4);
            }
        }
        if (UseVectors && Vector128.IsHardwareAccelerated)
        {
            for (; i + 2 <= words; i += 2) TransposeBits(Vector128.Load((ulong*)src + i)).Store((ulong*)dest + i);
        }
        for (; i < words; i++) Unsafe.WriteUnaligned(dest + i * 8L, TransposeBits(Unsafe.ReadUnaligned<ulong>(src + i * 8L)));
    }

    // ---- scalar byte shuffles (from element `start` on) ----

    private static void ShuffleScalar(int t, byte* src, byte* dest, int n, int start)
    {
        if (start >= n) return;
        if (t == 4)
        {
            byte* d0 = dest, d1 = dest + n, d2 = dest + 2L * n, d3 = dest + 3L * n;
            for (int i = start; i < n; i++)
            {
                uint v = Unsafe.ReadUnaligned<uint>(src + i * 4L);
                d0[i] = (byte)v; d1[i] = (byte)(v >> 8); d2[i] = (byte)(v >> 16); d3[i] = (byte)(v >> 24);
            }
            return;
        }
        for (int j = 0; j < t; j++)
        {
            byte* d = dest + (long)j * n;
            byte* s = src + j;
            for (int i = start; i < n; i++) d[i] = s[(long)i * t];
        }
    }

    private static void UnshuffleScalar(int t, byte* src, byte* dest, int n, int start)
    {
        if (start >= n) return;
        if (t == 4)
        {
            byte* s0 = src, s1 = src + n, s2 = src + 2L * n, s3 = src + 3L * n;
            for (int i = start; i < n; i++) Unsafe.WriteUnaligned(dest + i * 4L, s0[i] | (uint)s1[i] << 8 | (uint)s2[i] << 16 | (uint)s3[i] << 24);
            return;
        }
        for (int j = 0; j < t; j++)
        {
            byte* s = src + (long)j * n;
            byte* d = dest + j;
            for (int i = start; i < n; i++) d[(long)i * t] = s[i];
        }
    }

    // ---- SSE2 (16 elements per step) ----

    private static readonly Vector128<byte> Gather2 = Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    private static readonly Vector128<byte> Gather4 = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    private static readonly Vector128<byte> Gather8 = Vector128.Create((byte)0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);

    /// <summary>Byte shuffle of whole 16-element groups; returns the elements done.</summary>
    private static int ShuffleSse2(int t, byte* src, byte* dest, int n)
    {
        int groups = n / 16;
        if (t == 16)
        {
            // 16×16 byte transpose by four rounds of unpacks
            var v = stackalloc Vector128<byte>[16];
            var w = stackalloc Vector128<byte>[16];
            for (int g = 0; g < groups; g++)
            {
                byte* s = src + g * 256L;
                for (int k = 0; k < 16; k++) v[k] = Sse2.LoadVector128(s + k * 16);
                Transpose16x16(v, w);
                for (int k = 0; k < 16; k++) Sse2.Store(dest + (long)k * n + g * 16, v[k]);
            }
            return groups * 16;
        }
        for (int g = 0; g < groups; g++)
        {
            byte* s = src + (long)g * 16 * t;
            long o = g * 16L;
            switch (t)
            {
                case 2:
                {
                    var a = Ssse3.Shuffle(Sse2.LoadVector128(s), Gather2).AsUInt64();
                    var b = Ssse3.Shuffle(Sse2.LoadVector128(s + 16), Gather2).AsUInt64();
                    Sse2.Store(dest + o, Sse2.UnpackLow(a, b).AsByte());
                    Sse2.Store(dest + n + o, Sse2.UnpackHigh(a, b).AsByte());
                    break;
                }
                case 4:
                {
                    var a = Ssse3.Shuffle(Sse2.LoadVector128(s), Gather4).AsUInt32();
                    var b = Ssse3.Shuffle(Sse2.LoadVector128(s + 16), Gather4).AsUInt32();
                    var c = Ssse3.Shuffle(Sse2.LoadVector128(s + 32), Gather4).AsUInt32();
                    var d = Ssse3.Shuffle(Sse2.LoadVector128(s + 48), Gather4).AsUInt32();
                    var ab0 = Sse2.UnpackLow(a, b).AsUInt64(); var ab1 = Sse2.UnpackHigh(a, b).AsUInt64();
                    var cd0 = Sse2.UnpackLow(c, d).AsUInt64(); var cd1 = Sse2.UnpackHigh(c, d).AsUInt64();
                    Sse2.Store(dest + o, Sse2.UnpackLow(ab0, cd0).AsByte());
                    Sse2.Store(dest + n + o, Sse2.UnpackHigh(ab0, cd0).AsByte());
                    Sse2.Store(dest + 2L * n + o, Sse2.UnpackLow(ab1, cd1).AsByte());
                    Sse2.Store(dest + 3L * n + o, Sse2.UnpackHigh(ab1, cd1).AsByte());
                    break;
                }
                default: // 8
                {
                    var x0 = Ssse3.Shuffle(Sse2.LoadVector128(s), Gather8).AsUInt16();
                    var x1 = Ssse3.Shuffle(Sse2.LoadVector128(s + 16), Gather8).AsUInt16();
                    var x2 = Ssse3.Shuffle(Sse2.LoadVector128(s + 32), Gather8).AsUInt16();
                    var x3 = Ssse3.Shuffle(Sse2.LoadVector128(s + 48), Gather8).AsUInt16();
                    var x4 = Ssse3.Shuffle(Sse2.LoadVector128(s + 64), Gather8).AsUInt16();
                    var x5 = Ssse3.Shuffle(Sse2.LoadVector128(s + 80), Gather8).AsUInt16();
                    var x6 = Ssse3.Shuffle(Sse2.LoadVector128(s + 96), Gather8).AsUInt16();
                    var x7 = Ssse3.Shuffle(Sse2.LoadVector128(s + 112), Gather8).AsUInt16();
                    Transpose8x8Words(ref x0, ref x1, ref x2, ref x3, ref x4, ref x5, ref x6, ref x7);
                    Sse2.Store(dest + o, x0.AsByte()); Sse2.Store(dest + n + o, x1.AsByte());
                    Sse2.Store(dest + 2L * n + o, x2.AsByte()); Sse2.Store(dest + 3L * n + o, x3.AsByte());
                    Sse2.Store(dest + 4L * n + o, x4.AsByte()); Sse2.Store(dest + 5L * n + o, x5.AsByte());
                    Sse2.Store(dest + 6L * n + o, x6.AsByte()); Sse2.Store(dest + 7L * n + o, x7.AsByte());
                    break;
                }
            }
        }
        return groups * 16;
    }

    /// <summary>Transposes eight vectors of eight 16-bit words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8Words(ref Vector128<ushort> x0, ref Vector128<ushort> x1, ref Vector128<ushort> x2, ref Vector128<ushort> x3,
        ref Vector128<ushort> x4, ref Vector128<ushort> x5, ref Vector128<ushort> x6, ref Vector128<ushort> x7)
    {
        var a0 = Sse2.UnpackLow(x0, x1).AsUInt32(); var a1 = Sse2.UnpackHigh(x0, x1).AsUInt32();
        var a2 = Sse2.UnpackLow(x2, x3).AsUInt32(); var a3 = Sse2.UnpackHigh(x2, x3).AsUInt32();
        var a4 = Sse2.UnpackLow(x4, x5).AsUInt32(); var a5 = Sse2.UnpackHigh(x4, x5).AsUInt32();
        var a6 = Sse2.UnpackLow(x6, x7).AsUInt32(); var a7 = Sse2.UnpackHigh(x6, x7).AsUInt32();
        var b0 = Sse2.UnpackLow(a0, a2).AsUInt64(); var b1 = Sse2.UnpackHigh(a0, a2).AsUInt64();
        var b2 = Sse2.UnpackLow(a1, a3).AsUInt64(); var b3 = Sse2.UnpackHigh(a1, a3).AsUInt64();
        var b4 = Sse2.UnpackLow(a4, a6).AsUInt64(); var b5 = Sse2.UnpackHigh(a4, a6).AsUInt64();
        var b6 = Sse2.UnpackLow(a5, a7).AsUInt64(); var b7 = Sse2.UnpackHigh(a5, a7).AsUInt64();
        x0 = Sse2.UnpackLow(b0, b4).AsUInt16(); x1 = Sse2.UnpackHigh(b0, b4).AsUInt16();
        x2 = Sse2.UnpackLow(b1, b5).AsUInt16(); x3 = Sse2.UnpackHigh(b1, b5).AsUInt16();
        x4 = Sse2.UnpackLow(b2, b6).AsUInt16(); x5 = Sse2.UnpackHigh(b2, b6).AsUInt16();
        x6 = Sse2.UnpackLow(b3, b7).AsUInt16(); x7 = Sse2.UnpackHigh(b3, b7).AsUInt16();
    }

    /// <summary>Transposes a 16×16 byte matrix held in <paramref name="v"/> (rows), in place; <paramref name="w"/> is scratch.</summary>
    private static void Transpose16x16(Vector128<byte>* v, Vector128<byte>* w)
    {
        for (int k = 0; k < 8; k++)
        {
            w[2 * k] = Sse2.UnpackLow(v[k], v[k + 8]);
            w[2 * k + 1] = Sse2.UnpackHigh(v[k], v[k + 8]);
        }
        for (int k = 0; k < 8; k++)
        {
            v[2 * k] = Sse2.UnpackLow(w[k], w[k + 8]);
            v[2 * k + 1] = Sse2.UnpackHigh(w[k], w[k + 8]);
        }
        for (int k = 0; k < 8; k++)
        {
            w[2 * k] = Sse2.UnpackLow(v[k], v[k + 8]);
            w[2 * k + 1] = Sse2.UnpackHigh(v[k], v[k + 8]);
        }
        for (int k = 0; k < 8; k++)
        {
            v[2 * k] = Sse2.UnpackLow(w[k], w[k + 8]);
            v[2 * k + 1] = Sse2.UnpackHigh(w[k], w[k + 8]);
        }
    }

    /// <summary>Byte unshuffle of whole 16-element groups; returns the elements done.</summary>
    private static int UnshuffleSse2(int t, byte* src, byte* dest, int n)
    {
        int groups = n / 16;
        if (t == 16)
        {
            var v = stackalloc Vector128<byte>[16];
            var w = stackalloc Vector128<byte>[16];
            for (int g = 0; g < groups; g++)
            {
                for (int k = 0; k < 16; k++) v[k] = Sse2.LoadVector128(src + (long)k * n + g * 16);
                Transpose16x16(v, w);
                byte* d = dest + g * 256L;
                for (int k = 0; k < 16; k++) Sse2.Store(d + k * 16, v[k]);
            }
            return groups * 16;
        }
        for (int g = 0; g < groups; g++)
        {
            long o = g * 16L;
            byte* d = dest + o * t;
            switch (t)
            {
                case 2:
                {
                    var a = Sse2.LoadVector128(src + o);
                    var b = Sse2.LoadVector128(src + n + o);
                    Sse2.Store(d, Sse2.UnpackLow(a, b));
                    Sse2.Store(d + 16, Sse2.UnpackHigh(a, b));
                    break;
                }
                case 4:
                {
                    var a0 = Sse2.LoadVector128(src + o); var a1 = Sse2.LoadVector128(src + n + o);
                    var a2 = Sse2.LoadVector128(src + 2L * n + o); var a3 = Sse2.LoadVector128(src + 3L * n + o);
                    var t0 = Sse2.UnpackLow(a0, a1).AsUInt16(); var t1 = Sse2.UnpackHigh(a0, a1).AsUInt16();
                    var t2 = Sse2.UnpackLow(a2, a3).AsUInt16(); var t3 = Sse2.UnpackHigh(a2, a3).AsUInt16();
                    Sse2.Store(d, Sse2.UnpackLow(t0, t2).AsByte());
                    Sse2.Store(d + 16, Sse2.UnpackHigh(t0, t2).AsByte());
                    Sse2.Store(d + 32, Sse2.UnpackLow(t1, t3).AsByte());
                    Sse2.Store(d + 48, Sse2.UnpackHigh(t1, t3).AsByte());
                    break;
                }
                default: // 8
                {
                    var a0 = Sse2.LoadVector128(src + o); var a1 = Sse2.LoadVector128(src + n + o);
                    var a2 = Sse2.LoadVector128(src + 2L * n + o); var a3 = Sse2.LoadVector128(src + 3L * n + o);
                    var a4 = Sse2.LoadVector128(src + 4L * n + o); var a5 = Sse2.LoadVector128(src + 5L * n + o);
                    var a6 = Sse2.LoadVector128(src + 6L * n + o); var a7 = Sse2.LoadVector128(src + 7L * n + o);
                    var t0 = Sse2.UnpackLow(a0, a1).AsUInt16(); var t1 = Sse2.UnpackHigh(a0, a1).AsUInt16();
                    var t2 = Sse2.UnpackLow(a2, a3).AsUInt16(); var t3 = Sse2.UnpackHigh(a2, a3).AsUInt16();
                    var t4 = Sse2.UnpackLow(a4, a5).AsUInt16(); var t5 = Sse2.UnpackHigh(a4, a5).AsUInt16();
                    var t6 = Sse2.UnpackLow(a6, a7).AsUInt16(); var t7 = Sse2.UnpackHigh(a6, a7).AsUInt16();
                    var u0 = Sse2.UnpackLow(t0, t2).AsUInt32(); var u1 = Sse2.UnpackHigh(t0, t2).AsUInt32();
                    var u2 = Sse2.UnpackLow(t1, t3).AsUInt32(); var u3 = Sse2.UnpackHigh(t1, t3).AsUInt32();
                    var u4 = Sse2.UnpackLow(t4, t6).AsUInt32(); var u5 = Sse2.UnpackHigh(t4, t6).AsUInt32();
                    var u6 = Sse2.UnpackLow(t5, t7).AsUInt32(); var u7 = Sse2.UnpackHigh(t5, t7).AsUInt32();
                    Sse2.Store(d, Sse2.UnpackLow(u0, u4).AsByte()); Sse2.Store(d + 16, Sse2.UnpackHigh(u0, u4).AsByte());
                    Sse2.Store(d + 32, Sse2.UnpackLow(u1, u5).AsByte()); Sse2.Store(d + 48, Sse2.UnpackHigh(u1, u5).AsByte());
                    Sse2.Store(d + 64, Sse2.UnpackLow(u2, u6).AsByte()); Sse2.Store(d + 80, Sse2.UnpackHigh(u2, u6).AsByte());
                    Sse2.Store(d + 96, Sse2.UnpackLow(u3, u7).AsByte()); Sse2.Store(d + 112, Sse2.UnpackHigh(u3, u7).AsByte());
                    break;
                }
            }
        }
        return groups * 16;
    }

    // ---- AVX2 (32 elements per step: the SSE2 networks on two 16-element halves, one per 128-bit lane) ----

    private static readonly Vector256<byte> Gather2x2 = Vector256.Create(Gather2, Gather2);
    private static readonly Vector256<byte> Gather4x2 = Vector256.Create(Gather4, Gather4);
    private static readonly Vector256<byte> Gather8x2 = Vector256.Create(Gather8, Gather8);

    /// <summary>Loads 16 bytes at <paramref name="lo"/> into the low lane and 16 at <paramref name="hi"/> into the high lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Load2(byte* lo, byte* hi) => Avx2.InsertVector128(Vector128.Load(lo).ToVector256Unsafe(), Vector128.Load(hi), 1);

    private static int ShuffleAvx2(int t, byte* src, byte* dest, int n)
    {
        int groups = n / 32;
        for (int g = 0; g < groups; g++)
        {
            byte* s = src + (long)g * 32 * t;
            byte* h = s + 16 * t; // the second half of the group, elements 16..31
            long o = g * 32L;
            switch (t)
            {
                case 2:
                {
                    var a = Avx2.Shuffle(Load2(s, h), Gather2x2).AsUInt64();
                    var b = Avx2.Shuffle(Load2(s + 16, h + 16), Gather2x2).AsUInt64();
                    Avx.Store(dest + o, Avx2.UnpackLow(a, b).AsByte());
                    Avx.Store(dest + n + o, Avx2.UnpackHigh(a, b).AsByte());
                    break;
                }
                case 4:
                {
                    var a = Avx2.Shuffle(Load2(s, h), Gather4x2).AsUInt32();
                    var b = Avx2.Shuffle(Load2(s + 16, h + 16), Gather4x2).AsUInt32();
                    var c = Avx2.Shuffle(Load2(s + 32, h + 32), Gather4x2).AsUInt32();
                    var d = Avx2.Shuffle(Load2(s + 48, h + 48), Gather4x2).AsUInt32();
                    var ab0 = Avx2.UnpackLow(a, b).AsUInt64(); var ab1 = Avx2.UnpackHigh(a, b).AsUInt64();
                    var cd0 = Avx2.UnpackLow(c, d).AsUInt64(); var cd1 = Avx2.UnpackHigh(c, d).AsUInt64();
                    Avx.Store(dest + o, Avx2.UnpackLow(ab0, cd0).AsByte());
                    Avx.Store(dest + n + o, Avx2.UnpackHigh(ab0, cd0).AsByte());
                    Avx.Store(dest + 2L * n + o, Avx2.UnpackLow(ab1, cd1).AsByte());
                    Avx.Store(dest + 3L * n + o, Avx2.UnpackHigh(ab1, cd1).AsByte());
                    break;
                }
                default: // 8
                {
                    var x0 = Avx2.Shuffle(Load2(s, h), Gather8x2).AsUInt16();
                    var x1 = Avx2.Shuffle(Load2(s + 16, h + 16), Gather8x2).AsUInt16();
                    var x2 = Avx2.Shuffle(Load2(s + 32, h + 32), Gather8x2).AsUInt16();
                    var x3 = Avx2.Shuffle(Load2(s + 48, h + 48), Gather8x2).AsUInt16();
                    var x4 = Avx2.Shuffle(Load2(s + 64, h + 64), Gather8x2).AsUInt16();
                    var x5 = Avx2.Shuffle(Load2(s + 80, h + 80), Gather8x2).AsUInt16();
                    var x6 = Avx2.Shuffle(Load2(s + 96, h + 96), Gather8x2).AsUInt16();
                    var x7 = Avx2.Shuffle(Load2(s + 112, h + 112), Gather8x2).AsUInt16();
                    var a0 = Avx2.UnpackLow(x0, x1).AsUInt32(); var a1 = Avx2.UnpackHigh(x0, x1).AsUInt32();
                    var a2 = Avx2.UnpackLow(x2, x3).AsUInt32(); var a3 = Avx2.UnpackHigh(x2, x3).AsUInt32();
                    var a4 = Avx2.UnpackLow(x4, x5).AsUInt32(); var a5 = Avx2.UnpackHigh(x4, x5).AsUInt32();
                    var a6 = Avx2.UnpackLow(x6, x7).AsUInt32(); var a7 = Avx2.UnpackHigh(x6, x7).AsUInt32();
                    var b0 = Avx2.UnpackLow(a0, a2).AsUInt64(); var b1 = Avx2.UnpackHigh(a0, a2).AsUInt64();
                    var b2 = Avx2.UnpackLow(a1, a3).AsUInt64(); var b3 = Avx2.UnpackHigh(a1, a3).AsUInt64();
                    var b4 = Avx2.UnpackLow(a4, a6).AsUInt64(); var b5 = Avx2.UnpackHigh(a4, a6).AsUInt64();
                    var b6 = Avx2.UnpackLow(a5, a7).AsUInt64(); var b7 = Avx2.UnpackHigh(a5, a7).AsUInt64();
                    Avx.Store(dest + o, Avx2.UnpackLow(b0, b4).AsByte()); Avx.Store(dest + n + o, Avx2.UnpackHigh(b0, b4).AsByte());
                    Avx.Store(dest + 2L * n + o, Avx2.UnpackLow(b1, b5).AsByte()); Avx.Store(dest + 3L * n + o, Avx2.UnpackHigh(b1, b5).AsByte());
                    Avx.Store(dest + 4L * n + o, Avx2.UnpackLow(b2, b6).AsByte()); Avx.Store(dest + 5L * n + o, Avx2.UnpackHigh(b2, b6).AsByte());
                    Avx.Store(dest + 6L * n + o, Avx2.UnpackLow(b3, b7).AsByte()); Avx.Store(dest + 7L * n + o, Avx2.UnpackHigh(b3, b7).AsByte());
                    break;
                }
            }
        }
        return groups * 32;
    }

    /// <summary>Stores the low lanes of a and b (elements 0..15) at d and their high lanes (16..31) at d + half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(byte* d, long half, Vector256<byte> a, Vector256<byte> b)
    {
        Avx.Store(d, Avx2.Permute2x128(a, b, 0x20));
        Avx.Store(d + half, Avx2.Permute2x128(a, b, 0x31));
    }

    private static int UnshuffleAvx2(int t, byte* src, byte* dest, int n)
    {
        int groups = n / 32;
        for (int g = 0; g < groups; g++)
        {
            long o = g * 32L;
            byte* d = dest + o * t;
            long half = 16L * t;
            switch (t)
            {
                case 2:
                {
                    var a = Avx.LoadVector256(src + o);
                    var b = Avx.LoadVector256(src + n + o);
                    Store2(d, half, Avx2.UnpackLow(a, b), Avx2.UnpackHigh(a, b));
                    break;
                }
                case 4:
                {
                    var a0 = Avx.LoadVector256(src + o); var a1 = Avx.LoadVector256(src + n + o);
                    var a2 = Avx.LoadVector256(src + 2L * n + o); var a3 = Avx.LoadVector256(src + 3L * n + o);
                    var t0 = Avx2.UnpackLow(a0, a1).AsUInt16(); var t1 = Avx2.UnpackHigh(a0, a1).AsUInt16();
                    var t2 = Avx2.UnpackLow(a2, a3).AsUInt16(); var t3 = Avx2.UnpackHigh(a2, a3).AsUInt16();
                    Store2(d, half, Avx2.UnpackLow(t0, t2).AsByte(), Avx2.UnpackHigh(t0, t2).AsByte());
                    Store2(d + 32, half, Avx2.UnpackLow(t1, t3).AsByte(), Avx2.UnpackHigh(t1, t3).AsByte());
                    break;
                }
                default: // 8
                {
                    var a0 = Avx.LoadVector256(src + o); var a1 = Avx.LoadVector256(src + n + o);
                    var a2 = Avx.LoadVector256(src + 2L * n + o); var a3 = Avx.LoadVector256(src + 3L * n + o);
                    var a4 = Avx.LoadVector256(src + 4L * n + o); var a5 = Avx.LoadVector256(src + 5L * n + o);
                    var a6 = Avx.LoadVector256(src + 6L * n + o); var a7 = Avx.LoadVector256(src + 7L * n + o);
                    var t0 = Avx2.UnpackLow(a0, a1).AsUInt16(); var t1 = Avx2.UnpackHigh(a0, a1).AsUInt16();
                    var t2 = Avx2.UnpackLow(a2, a3).AsUInt16(); var t3 = Avx2.UnpackHigh(a2, a3).AsUInt16();
                    var t4 = Avx2.UnpackLow(a4, a5).AsUInt16(); var t5 = Avx2.UnpackHigh(a4, a5).AsUInt16();
                    var t6 = Avx2.UnpackLow(a6, a7).AsUInt16(); var t7 = Avx2.UnpackHigh(a6, a7).AsUInt16();
                    var u0 = Avx2.UnpackLow(t0, t2).AsUInt32(); var u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
                    var u2 = Avx2.UnpackLow(t1, t3).AsUInt32(); var u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
                    var u4 = Avx2.UnpackLow(t4, t6).AsUInt32(); var u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
                    var u6 = Avx2.UnpackLow(t5, t7).AsUInt32(); var u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();
                    Store2(d, half, Avx2.UnpackLow(u0, u4).AsByte(), Avx2.UnpackHigh(u0, u4).AsByte());
                    Store2(d + 32, half, Avx2.UnpackLow(u1, u5).AsByte(), Avx2.UnpackHigh(u1, u5).AsByte());
                    Store2(d + 64, half, Avx2.UnpackLow(u2, u6).AsByte(), Avx2.UnpackHigh(u2, u6).AsByte());
                    Store2(d + 96, half, Avx2.UnpackLow(u3, u7).AsByte(), Avx2.UnpackHigh(u3, u7).AsByte());
                    break;
                }
            }
        }
        return groups * 32;
    }
}
