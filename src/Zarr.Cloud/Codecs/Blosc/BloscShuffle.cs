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
        else if (Avx2On && typeSize > 8) done = ShuffleWideAvx2(typeSize, src, dest, n);
        else if (Avx2On && typeSize is 3 or 5 or 6 or 7) done = ShuffleNarrowAvx2(typeSize, src, dest, n);
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
        else if (Avx2On && typeSize > 8) done = UnshuffleWideAvx2(typeSize, src, dest, n);
        else if (Avx2On && typeSize is 3 or 5 or 6 or 7) done = UnshuffleNarrowAvx2(typeSize, src, dest, n);
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
        // 2. the 8×8 bit matrix of every 8 bytes of a plane (8 elements) transposed, byte k of each into row k
        int rowLength = n / 8;
        if (Avx2On)
        {
            for (int j = 0; j < typeSize; j++)
            {
                byte* words = planes + (long)j * n, rows = dest + (long)j * n;
                int m = TransposeToRowsAvx2(words, rows, rowLength);
                for (; m < rowLength; m++)
                {
                    ulong x = TransposeBits(Unsafe.ReadUnaligned<ulong>(words + m * 8L));
                    for (int k = 0; k < 8; k++, x >>= 8) rows[(long)k * rowLength + m] = (byte)x;
                }
            }
        }
        else
        {
            TransposeBits(planes, tmp, bytes / 8);
            for (int j = 0; j < typeSize; j++) Shuffle(8, tmp + (long)j * n, dest + (long)j * n, n);
        }
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
        int rowLength = n / 8;
        byte* planes = typeSize == 1 ? dest : tmp;
        if (Avx2On)
        {
            for (int j = 0; j < typeSize; j++)
            {
                byte* rows = src + (long)j * n, words = planes + (long)j * n;
                int m = UntransposeRowsAvx2(rows, words, rowLength);
                for (; m < rowLength; m++)
                {
                    ulong x = 0;
                    for (int k = 0; k < 8; k++) x |= (ulong)rows[(long)k * rowLength + m] << (8 * k);
                    Unsafe.WriteUnaligned(words + m * 8L, TransposeBits(x));
                }
            }
        }
        else
        {
            for (int j = 0; j < typeSize; j++) Unshuffle(8, src + (long)j * n, tmp + (long)j * n, n);
            TransposeBits(tmp, planes, bytes / 8);
        }
        if (typeSize > 1) Unshuffle(typeSize, tmp, dest, bytes);
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

    private static readonly Vector256<byte> ReverseBytesOfWords = Vector256.Create((byte)7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    private static readonly Vector256<byte> SelectBits = Vector256.Create(0x8040201008040201UL).AsByte();

    /// <summary>GFNI's affine transform for the transpose (vgf2p8affineqb), where there is one; tests turn it off.</summary>
    internal static bool UseGfni { get; set; } = true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> TransposeBits(Vector256<ulong> x)
    {
        if (Gfni.V256.IsSupported && UseGfni)
        {
            // byte j, bit i of the result = bit j of byte 7 − i of the matrix operand: the words, bytes reversed
            return Gfni.V256.GaloisFieldAffineTransform(SelectBits, Avx2.Shuffle(x.AsByte(), ReverseBytesOfWords), 0).AsUInt64();
        }
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
                    ReadElements8(s, h, false, out var p0, out var p1, out var p2, out var p3, out var p4, out var p5, out var p6, out var p7);
                    StorePlanes8(dest + o, n, p0, p1, p2, p3, p4, p5, p6, p7);
                    break;
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
                    ReadPlanes8(src + o, n, out var e0, out var e1, out var e2, out var e3, out var e4, out var e5, out var e6, out var e7);
                    Avx.Store((ulong*)d, e0); Avx.Store((ulong*)d + 4, e1); Avx.Store((ulong*)d + 8, e2); Avx.Store((ulong*)d + 12, e3);
                    Avx.Store((ulong*)d + 16, e4); Avx.Store((ulong*)d + 20, e5); Avx.Store((ulong*)d + 24, e6); Avx.Store((ulong*)d + 28, e7);
                    break;
            }
        }
        return groups * 32;
    }

    /// <summary>
    /// 32 eight-byte elements (elements 0..15 at <paramref name="lo"/>, 16..31 at <paramref name="hi"/>) as 8 planes of 32
    /// bytes; with <paramref name="transposeBits"/> the bits of every element are transposed first (the bit shuffle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadElements8(byte* lo, byte* hi, bool transposeBits,
        out Vector256<byte> p0, out Vector256<byte> p1, out Vector256<byte> p2, out Vector256<byte> p3,
        out Vector256<byte> p4, out Vector256<byte> p5, out Vector256<byte> p6, out Vector256<byte> p7)
    {
        var x0 = Load2(lo, hi); var x1 = Load2(lo + 16, hi + 16); var x2 = Load2(lo + 32, hi + 32); var x3 = Load2(lo + 48, hi + 48);
        var x4 = Load2(lo + 64, hi + 64); var x5 = Load2(lo + 80, hi + 80); var x6 = Load2(lo + 96, hi + 96); var x7 = Load2(lo + 112, hi + 112);
        if (transposeBits)
        {
            x0 = TransposeBits(x0.AsUInt64()).AsByte(); x1 = TransposeBits(x1.AsUInt64()).AsByte();
            x2 = TransposeBits(x2.AsUInt64()).AsByte(); x3 = TransposeBits(x3.AsUInt64()).AsByte();
            x4 = TransposeBits(x4.AsUInt64()).AsByte(); x5 = TransposeBits(x5.AsUInt64()).AsByte();
            x6 = TransposeBits(x6.AsUInt64()).AsByte(); x7 = TransposeBits(x7.AsUInt64()).AsByte();
        }
        var y0 = Avx2.Shuffle(x0, Gather8x2).AsUInt16(); var y1 = Avx2.Shuffle(x1, Gather8x2).AsUInt16();
        var y2 = Avx2.Shuffle(x2, Gather8x2).AsUInt16(); var y3 = Avx2.Shuffle(x3, Gather8x2).AsUInt16();
        var y4 = Avx2.Shuffle(x4, Gather8x2).AsUInt16(); var y5 = Avx2.Shuffle(x5, Gather8x2).AsUInt16();
        var y6 = Avx2.Shuffle(x6, Gather8x2).AsUInt16(); var y7 = Avx2.Shuffle(x7, Gather8x2).AsUInt16();
        var a0 = Avx2.UnpackLow(y0, y1).AsUInt32(); var a1 = Avx2.UnpackHigh(y0, y1).AsUInt32();
        var a2 = Avx2.UnpackLow(y2, y3).AsUInt32(); var a3 = Avx2.UnpackHigh(y2, y3).AsUInt32();
        var a4 = Avx2.UnpackLow(y4, y5).AsUInt32(); var a5 = Avx2.UnpackHigh(y4, y5).AsUInt32();
        var a6 = Avx2.UnpackLow(y6, y7).AsUInt32(); var a7 = Avx2.UnpackHigh(y6, y7).AsUInt32();
        var b0 = Avx2.UnpackLow(a0, a2).AsUInt64(); var b1 = Avx2.UnpackHigh(a0, a2).AsUInt64();
        var b2 = Avx2.UnpackLow(a1, a3).AsUInt64(); var b3 = Avx2.UnpackHigh(a1, a3).AsUInt64();
        var b4 = Avx2.UnpackLow(a4, a6).AsUInt64(); var b5 = Avx2.UnpackHigh(a4, a6).AsUInt64();
        var b6 = Avx2.UnpackLow(a5, a7).AsUInt64(); var b7 = Avx2.UnpackHigh(a5, a7).AsUInt64();
        p0 = Avx2.UnpackLow(b0, b4).AsByte(); p1 = Avx2.UnpackHigh(b0, b4).AsByte();
        p2 = Avx2.UnpackLow(b1, b5).AsByte(); p3 = Avx2.UnpackHigh(b1, b5).AsByte();
        p4 = Avx2.UnpackLow(b2, b6).AsByte(); p5 = Avx2.UnpackHigh(b2, b6).AsByte();
        p6 = Avx2.UnpackLow(b3, b7).AsByte(); p7 = Avx2.UnpackHigh(b3, b7).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePlanes8(byte* d, long n, Vector256<byte> p0, Vector256<byte> p1, Vector256<byte> p2, Vector256<byte> p3,
        Vector256<byte> p4, Vector256<byte> p5, Vector256<byte> p6, Vector256<byte> p7)
    {
        Avx.Store(d, p0); Avx.Store(d + n, p1); Avx.Store(d + 2 * n, p2); Avx.Store(d + 3 * n, p3);
        Avx.Store(d + 4 * n, p4); Avx.Store(d + 5 * n, p5); Avx.Store(d + 6 * n, p6); Avx.Store(d + 7 * n, p7);
    }

    /// <summary>8 planes (32 bytes each, at <paramref name="src"/> + k·n) as 32 eight-byte elements in order, four per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadPlanes8(byte* src, long n,
        out Vector256<ulong> e0, out Vector256<ulong> e1, out Vector256<ulong> e2, out Vector256<ulong> e3,
        out Vector256<ulong> e4, out Vector256<ulong> e5, out Vector256<ulong> e6, out Vector256<ulong> e7)
        => ReadPlanes8(src, src + n, src + 2 * n, src + 3 * n, src + 4 * n, src + 5 * n, src + 6 * n, src + 7 * n, out e0, out e1, out e2, out e3, out e4, out e5, out e6, out e7);

    /// <summary>32 bytes of each of 8 planes (at <paramref name="s0"/> .. <paramref name="s7"/>) as 32 eight-byte elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadPlanes8(byte* s0, byte* s1, byte* s2, byte* s3, byte* s4, byte* s5, byte* s6, byte* s7,
        out Vector256<ulong> e0, out Vector256<ulong> e1, out Vector256<ulong> e2, out Vector256<ulong> e3,
        out Vector256<ulong> e4, out Vector256<ulong> e5, out Vector256<ulong> e6, out Vector256<ulong> e7)
    {
        var a0 = Avx.LoadVector256(s0); var a1 = Avx.LoadVector256(s1);
        var a2 = Avx.LoadVector256(s2); var a3 = Avx.LoadVector256(s3);
        var a4 = Avx.LoadVector256(s4); var a5 = Avx.LoadVector256(s5);
        var a6 = Avx.LoadVector256(s6); var a7 = Avx.LoadVector256(s7);
        var t0 = Avx2.UnpackLow(a0, a1).AsUInt16(); var t1 = Avx2.UnpackHigh(a0, a1).AsUInt16();
        var t2 = Avx2.UnpackLow(a2, a3).AsUInt16(); var t3 = Avx2.UnpackHigh(a2, a3).AsUInt16();
        var t4 = Avx2.UnpackLow(a4, a5).AsUInt16(); var t5 = Avx2.UnpackHigh(a4, a5).AsUInt16();
        var t6 = Avx2.UnpackLow(a6, a7).AsUInt16(); var t7 = Avx2.UnpackHigh(a6, a7).AsUInt16();
        var u0 = Avx2.UnpackLow(t0, t2).AsUInt32(); var u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
        var u2 = Avx2.UnpackLow(t1, t3).AsUInt32(); var u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
        var u4 = Avx2.UnpackLow(t4, t6).AsUInt32(); var u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
        var u6 = Avx2.UnpackLow(t5, t7).AsUInt32(); var u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();
        // w: elements (0,1 | 16,17), (2,3 | 18,19), ... (14,15 | 30,31)
        var w0 = Avx2.UnpackLow(u0, u4).AsUInt64(); var w1 = Avx2.UnpackHigh(u0, u4).AsUInt64();
        var w2 = Avx2.UnpackLow(u1, u5).AsUInt64(); var w3 = Avx2.UnpackHigh(u1, u5).AsUInt64();
        var w4 = Avx2.UnpackLow(u2, u6).AsUInt64(); var w5 = Avx2.UnpackHigh(u2, u6).AsUInt64();
        var w6 = Avx2.UnpackLow(u3, u7).AsUInt64(); var w7 = Avx2.UnpackHigh(u3, u7).AsUInt64();
        e0 = Avx2.Permute2x128(w0, w1, 0x20); e1 = Avx2.Permute2x128(w2, w3, 0x20);
        e2 = Avx2.Permute2x128(w4, w5, 0x20); e3 = Avx2.Permute2x128(w6, w7, 0x20);
        e4 = Avx2.Permute2x128(w0, w1, 0x31); e5 = Avx2.Permute2x128(w2, w3, 0x31);
        e6 = Avx2.Permute2x128(w4, w5, 0x31); e7 = Avx2.Permute2x128(w6, w7, 0x31);
    }

    /// <summary>
    /// The first step of the bit unshuffle: 8 rows of <paramref name="rowLength"/> bytes (a plane's bit rows) into
    /// <paramref name="rowLength"/> words whose byte k is row k's byte, bits transposed; returns the words done.
    /// </summary>
    private static int UntransposeRowsAvx2(byte* rows, byte* dest, int rowLength)
    {
        int m = 0;
        ulong* d = (ulong*)dest;
        for (; m + 32 <= rowLength; m += 32)
        {
            ReadPlanes8(rows + m, rowLength, out var e0, out var e1, out var e2, out var e3, out var e4, out var e5, out var e6, out var e7);
            Avx.Store(d + m, TransposeBits(e0)); Avx.Store(d + m + 4, TransposeBits(e1));
            Avx.Store(d + m + 8, TransposeBits(e2)); Avx.Store(d + m + 12, TransposeBits(e3));
            Avx.Store(d + m + 16, TransposeBits(e4)); Avx.Store(d + m + 20, TransposeBits(e5));
            Avx.Store(d + m + 24, TransposeBits(e6)); Avx.Store(d + m + 28, TransposeBits(e7));
        }
        return m;
    }

    /// <summary>The last step of the bit shuffle: words of a plane, bits transposed, byte k of each into row k; returns the words done.</summary>
    private static int TransposeToRowsAvx2(byte* words, byte* rows, int rowLength)
    {
        int m = 0;
        for (; m + 32 <= rowLength; m += 32)
        {
            byte* s = words + m * 8L;
            ReadElements8(s, s + 128, true, out var p0, out var p1, out var p2, out var p3, out var p4, out var p5, out var p6, out var p7);
            StorePlanes8(rows + m, rowLength, p0, p1, p2, p3, p4, p5, p6, p7);
        }
        return m;
    }

    /// <summary>Elements per pass of the wide shuffles: the element bytes of a pass stay in the first-level cache.</summary>
    private const int WideChunk = 1024;

    /// <summary>
    /// Byte shuffle of types wider than 8 bytes: 8 planes at a time through the 8-byte network, the last 8 planes
    /// overlapping the previous ones when the width is not a multiple of 8 (the overlap is written twice, alike).
    /// </summary>
    private static int ShuffleWideAvx2(int t, byte* src, byte* dest, int n)
    {
        int done = n / 32 * 32;
        ulong* buf = stackalloc ulong[32];
        for (int i0 = 0; i0 < done; i0 += WideChunk)
        {
            int i1 = Math.Min(done, i0 + WideChunk);
            for (int c0 = 0; c0 < t; c0 += 8)
            {
                int c = Math.Min(c0, t - 8);
                for (int i = i0; i < i1; i += 32)
                {
                    byte* s = src + (long)i * t + c;
                    for (int e = 0; e < 32; e++) buf[e] = Unsafe.ReadUnaligned<ulong>(s + (long)e * t);
                    ReadElements8((byte*)buf, (byte*)buf + 128, false, out var p0, out var p1, out var p2, out var p3, out var p4, out var p5, out var p6, out var p7);
                    StorePlanes8(dest + (long)c * n + i, n, p0, p1, p2, p3, p4, p5, p6, p7);
                }
            }
        }
        return done;
    }

    /// <summary>The inverse of <see cref="ShuffleWideAvx2"/>.</summary>
    private static int UnshuffleWideAvx2(int t, byte* src, byte* dest, int n)
    {
        int done = n / 32 * 32;
        ulong* buf = stackalloc ulong[32];
        for (int i0 = 0; i0 < done; i0 += WideChunk)
        {
            int i1 = Math.Min(done, i0 + WideChunk);
            for (int c0 = 0; c0 < t; c0 += 8)
            {
                int c = Math.Min(c0, t - 8);
                for (int i = i0; i < i1; i += 32)
                {
                    ReadPlanes8(src + (long)c * n + i, n, out var e0, out var e1, out var e2, out var e3, out var e4, out var e5, out var e6, out var e7);
                    Avx.Store(buf, e0); Avx.Store(buf + 4, e1); Avx.Store(buf + 8, e2); Avx.Store(buf + 12, e3);
                    Avx.Store(buf + 16, e4); Avx.Store(buf + 20, e5); Avx.Store(buf + 24, e6); Avx.Store(buf + 28, e7);
                    byte* d = dest + (long)i * t + c;
                    for (int e = 0; e < 32; e++) Unsafe.WriteUnaligned(d + (long)e * t, buf[e]);
                }
            }
        }
        return done;
    }

    /// <summary>
    /// Byte shuffle of 3, 5, 6 and 7-byte types through the 8-byte network: 8 bytes read at each element (its own and
    /// the start of the next, for as long as that stays inside the block), only the type's planes stored.
    /// </summary>
    private static int ShuffleNarrowAvx2(int t, byte* src, byte* dest, int n)
    {
        ulong* buf = stackalloc ulong[32];
        int i = 0;
        for (; i + 32 <= n && (long)(i + 31) * t + 8 <= (long)n * t; i += 32)
        {
            byte* s = src + (long)i * t;
            for (int e = 0; e < 32; e++) buf[e] = Unsafe.ReadUnaligned<ulong>(s + (long)e * t);
            ReadElements8((byte*)buf, (byte*)buf + 128, false, out var p0, out var p1, out var p2, out var p3, out var p4, out var p5, out var p6, out _);
            byte* d = dest + i;
            Avx.Store(d, p0);
            Avx.Store(d + n, p1);
            Avx.Store(d + 2L * n, p2);
            if (t > 3) Avx.Store(d + 3L * n, p3);
            if (t > 4) Avx.Store(d + 4L * n, p4);
            if (t > 5) Avx.Store(d + 5L * n, p5);
            if (t > 6) Avx.Store(d + 6L * n, p6);
        }
        return i;
    }

    /// <summary>
    /// The inverse of <see cref="ShuffleNarrowAvx2"/>: 8 bytes written at each element in order, each write's spill
    /// into the next element overwritten by that element's own write (and never past the block's whole elements).
    /// </summary>
    private static int UnshuffleNarrowAvx2(int t, byte* src, byte* dest, int n)
    {
        ulong* buf = stackalloc ulong[32];
        long last = t - 1;
        int i = 0;
        for (; i + 32 <= n && (long)(i + 31) * t + 8 <= (long)n * t; i += 32)
        {
            byte* s = src + i;
            // planes past the type's (t..7) are read from plane 0: their bytes land in the spill, overwritten
            ReadPlanes8(s, s + n, s + 2L * n, s + Math.Min(3, last) * n, s + Math.Min(4, last) * n, s + Math.Min(5, last) * n, s + Math.Min(6, last) * n, s,
                out var e0, out var e1, out var e2, out var e3, out var e4, out var e5, out var e6, out var e7);
            Avx.Store(buf, e0); Avx.Store(buf + 4, e1); Avx.Store(buf + 8, e2); Avx.Store(buf + 12, e3);
            Avx.Store(buf + 16, e4); Avx.Store(buf + 20, e5); Avx.Store(buf + 24, e6); Avx.Store(buf + 28, e7);
            byte* d = dest + (long)i * t;
            for (int e = 0; e < 32; e++) Unsafe.WriteUnaligned(d + (long)e * t, buf[e]);
        }
        return i;
    }
}
