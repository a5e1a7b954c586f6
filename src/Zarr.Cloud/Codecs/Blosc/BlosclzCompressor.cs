using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// BloscLZ, c-blosc's own LZ77 codec (a FastLZ descendant), format version 1. A stream is a series of tokens:
/// <list type="bullet">
/// <item>control byte <c>c</c> &lt; 32: a literal run of <c>c + 1</c> bytes that follow;</item>
/// <item>control byte <c>c</c> ≥ 32: a match. <c>L = c &gt;&gt; 5</c>; when <c>L</c> is 7, bytes follow that add to it
/// until one is not 255. Then a byte <c>b</c>: the match copies <c>L + 2</c> bytes from <c>(c &amp; 31) * 256 + b + 1</c>
/// bytes back, except when <c>c &amp; 31</c> is 31 and <c>b</c> is 255: then two more bytes (big-endian) give the
/// distance minus 8192 (a "far" match).</item>
/// </list>
/// The first control byte carries a marker in bit 5, ignored when reading. Writers end a stream with a literal run
/// (c-blosc from 1.20 on does not copy a final match, earlier versions did; this decoder copies it).
/// </summary>
internal static unsafe class BlosclzCompressor
{
    private const int MaxCopy = 32;
    private const int MaxDistance = 8191;
    private const int MaxFarDistance = 65535 + MaxDistance - 1;
    private const int HashLog = 14;

    [ThreadStatic] private static int[]? t_hashTable;

    /// <summary>Decodes <paramref name="length"/> bytes into at most <paramref name="maxout"/>; the bytes written, or -1 on corrupt data.</summary>
    public static int Decompress(byte* input, int length, byte* output, int maxout)
    {
        if (length <= 0) return length == 0 ? 0 : -1;
        byte* ip = input;
        byte* ipLimit = input + length;
        byte* op = output;
        byte* opLimit = output + maxout;
        uint ctrl = (uint)(*ip++ & 31);
        while (true)
        {
            if (ctrl >= 32)
            {
                long len = (ctrl >> 5) - 1;
                long dist = (ctrl & 31) << 8;
                if (len == 6)
                {
                    byte extra;
                    do
                    {
                        if (ip >= ipLimit) return -1;
                        extra = *ip++;
                        len += extra;
                    }
                    while (extra == 255);
                }
                if (ip >= ipLimit) return -1;
                byte low = *ip++;
                len += 3;
                if (low == 255 && dist == 31 << 8)
                {
                    if (ipLimit - ip < 2) return -1;
                    dist = ((ip[0] << 8) | ip[1]) + MaxDistance + 1;
                    ip += 2;
                }
                else dist += low + 1;
                if (len > opLimit - op || dist > op - output) return -1;
                CopyMatch(op, dist, (int)len, opLimit);
                op += len;
            }
            else
            {
                int count = (int)ctrl + 1;
                if (count > opLimit - op || count > ipLimit - ip) return -1;
                if (opLimit - op >= MaxCopy && ipLimit - ip >= MaxCopy) Vector256.Load(ip).Store(op);
                else Buffer.MemoryCopy(ip, op, count, count);
                op += count;
                ip += count;
            }
            if (ip >= ipLimit) break;
            ctrl = *ip++;
        }
        return (int)(op - output);
    }

    /// <summary>Copies <paramref name="len"/> bytes from <paramref name="dist"/> bytes back (overlapping as LZ77 does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyMatch(byte* op, long dist, int len, byte* opLimit)
    {
        byte* r = op - dist;
        long room = opLimit - op;
        if (dist == 1)
        {
            if (len <= 32 && room >= 32) Vector256.Create(*r).Store(op);
            else Unsafe.InitBlockUnaligned(op, *r, (uint)len);
            return;
        }
        // whole steps may run past the end of the match (never past opLimit); the bytes past it are written again later
        if (dist >= 32 && room >= len + 32)
        {
            for (int i = 0; i < len; i += 32) Vector256.Load(r + i).Store(op + i);
            return;
        }
        if (dist >= 8 && room >= len + 8)
        {
            for (int i = 0; i < len; i += 8) Unsafe.WriteUnaligned(op + i, Unsafe.ReadUnaligned<ulong>(r + i));
            return;
        }
        if (dist < 8 && len > 16 && room >= len + 8)
        {
            // a short repeating pattern: 16 bytes one by one, then 8 at a time from a whole number of periods (8..14) back
            for (int i = 0; i < 16; i++) op[i] = r[i];
            long period = (8 + dist - 1) / dist * dist;
            for (int i = 16; i < len; i += 8) Unsafe.WriteUnaligned(op + i, Unsafe.ReadUnaligned<ulong>(op + i - period));
            return;
        }
        for (int i = 0; i < len; i++) op[i] = r[i];
    }

    /// <summary>
    /// Encodes <paramref name="length"/> bytes into at most <paramref name="maxout"/>; the bytes written, or 0 when the
    /// data does not fit (the caller then stores it raw).
    /// </summary>
    public static int Compress(int clevel, byte* input, int length, byte* output, int maxout)
    {
        if (length < 16 || maxout < 66) return 0;
        int hashLog = clevel switch { <= 1 => HashLog - 2, 2 => HashLog - 1, _ => HashLog };
        var table = t_hashTable ??= new int[1 << HashLog];
        Array.Clear(table, 0, 1 << hashLog);
        fixed (int* htab = table)
        {
            byte* ip = input;
            byte* anchor = input;
            byte* end = input + length;
            byte* ipLimit = end - 12;   // no match starts in the last 12 bytes
            byte* matchLimit = end - 4; // nor runs into the last 4: a stream ends with literals
            byte* op = output;
            byte* opLimit = output + maxout;
            int shift = 32 - hashLog;
            while (ip < ipLimit)
            {
                uint seq = Unsafe.ReadUnaligned<uint>(ip);
                uint h = (seq * 2654435761U) >> shift;
                byte* r = input + htab[h];
                htab[h] = (int)(ip - input);
                long dist = ip - r;
                if (dist == 0 || dist >= MaxFarDistance || Unsafe.ReadUnaligned<uint>(r) != seq)
                {
                    ip += 1 + ((ip - anchor) >> 6); // skip faster through data that does not compress
                    continue;
                }
                int len = 4 + MatchLength(ip + 4, r + 4, matchLimit);
                long d = dist - 1;
                if (d >= MaxDistance && len < 8)
                {
                    ip++;
                    continue;
                }
                if (!EmitLiterals(ref op, opLimit, anchor, (int)(ip - anchor))) return 0;
                if (!EmitMatch(ref op, opLimit, len - 2, d)) return 0;
                ip += len;
                anchor = ip;
                if (ip < ipLimit)
                {
                    htab[(Unsafe.ReadUnaligned<uint>(ip - 2) * 2654435761U) >> shift] = (int)(ip - 2 - input);
                }
            }
            if (!EmitLiterals(ref op, opLimit, anchor, (int)(end - anchor))) return 0;
            output[0] |= 1 << 5; // the BloscLZ marker
            return (int)(op - output);
        }
    }

    /// <summary>How many bytes after <paramref name="ip"/> equal those after <paramref name="r"/>, up to <paramref name="limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MatchLength(byte* ip, byte* r, byte* limit)
    {
        byte* start = ip;
        while (limit - ip >= 8)
        {
            ulong x = Unsafe.ReadUnaligned<ulong>(ip) ^ Unsafe.ReadUnaligned<ulong>(r);
            if (x != 0) return (int)(ip - start) + (BitOperations.TrailingZeroCount(x) >> 3);
            ip += 8;
            r += 8;
        }
        while (ip < limit && *ip == *r)
        {
            ip++;
            r++;
        }
        return (int)(ip - start);
    }

    private static bool EmitLiterals(ref byte* op, byte* opLimit, byte* from, int count)
    {
        while (count > 0)
        {
            int run = Math.Min(count, MaxCopy);
            if (opLimit - op < run + 1) return false;
            *op++ = (byte)(run - 1);
            Buffer.MemoryCopy(from, op, run, run);
            op += run;
            from += run;
            count -= run;
        }
        return true;
    }

    /// <summary>A match of <paramref name="len"/> + 2 bytes, <paramref name="d"/> + 1 bytes back.</summary>
    private static bool EmitMatch(ref byte* op, byte* opLimit, int len, long d)
    {
        bool far = d >= MaxDistance;
        if (far) d -= MaxDistance;
        int need = (far ? 4 : 2) + (len >= 7 ? (len - 7) / 255 + 1 : 0);
        if (opLimit - op < need) return false;
        int high = far ? 31 : (int)(d >> 8);
        if (len < 7) *op++ = (byte)((len << 5) + high);
        else
        {
            *op++ = (byte)((7 << 5) + high);
            int rest = len - 7;
            for (; rest >= 255; rest -= 255) *op++ = 255;
            *op++ = (byte)rest;
        }
        if (far)
        {
            *op++ = 255;
            *op++ = (byte)(d >> 8);
        }
        *op++ = (byte)d;
        return true;
    }
}
