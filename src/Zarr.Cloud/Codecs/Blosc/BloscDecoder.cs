using System.Buffers;
using System.Buffers.Binary;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// Decodes c-blosc 1.x frames straight into the destination: blocks without a shuffle are decompressed in place,
/// shuffled ones through a scratch buffer of one block. Every size and offset read from the frame is checked before
/// use; nothing is allocated beyond one block, itself at most the destination's size.
/// </summary>
internal static unsafe class BloscDecoder
{
    /// <summary>Frames at least this large may have their blocks decoded on more than one thread.</summary>
    public const int ParallelThreshold = 1 << 20;

    /// <summary>Decodes <paramref name="frame"/> into <paramref name="destination"/>, whose length the header must state.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">The decoded bytes.</param>
    /// <param name="maxDegreeOfParallelism">Threads that may decode blocks of one large frame (1: the calling thread only).</param>
    public static void Decode(ReadOnlySpan<byte> frame, Span<byte> destination, int maxDegreeOfParallelism)
    {
        var h = BloscFrame.Read(frame, destination.Length);
        if (h.NBytes == 0) return;
        if (h.Memcpyed)
        {
            frame.Slice(BloscFrame.HeaderLength, h.NBytes).CopyTo(destination);
            return;
        }
        int nblocks = h.BlockCount;
        fixed (byte* src = frame)
        fixed (byte* dst = destination)
        {
            if (maxDegreeOfParallelism > 1 && nblocks > 1 && h.NBytes >= ParallelThreshold)
            {
                nint s = (nint)src, d = (nint)dst;
                var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
                int chunks = Math.Min(nblocks, maxDegreeOfParallelism * 4);
                try
                {
                    Parallel.For(0, chunks, options, c =>
                    {
                        int from = (int)((long)nblocks * c / chunks), to = (int)((long)nblocks * (c + 1) / chunks);
                        DecodeBlocks(h, (byte*)s, (byte*)d, from, to);
                    });
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
                }
            }
            else DecodeBlocks(h, src, dst, 0, nblocks);
        }
    }

    private static void DecodeBlocks(BloscFrame h, byte* src, byte* dst, int from, int to)
    {
        bool shuffled = (h.Flags & BloscFrame.FlagShuffle) != 0 && h.TypeSize > 1 || (h.Flags & BloscFrame.FlagBitShuffle) != 0;
        byte[]? scratch = shuffled ? ArrayPool<byte>.Shared.Rent(2 * h.BlockSize) : null;
        try
        {
            fixed (byte* tmp = scratch)
            {
                for (int j = from; j < to; j++) DecodeBlock(h, src, dst, j, tmp);
            }
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static void DecodeBlock(BloscFrame h, byte* src, byte* dst, int j, byte* tmp)
    {
        int nblocks = h.BlockCount;
        long blockStart = (long)j * h.BlockSize;
        bool leftover = j == nblocks - 1 && h.NBytes % h.BlockSize != 0;
        int bsize = leftover ? h.NBytes % h.BlockSize : h.BlockSize;
        int typeSize = h.TypeSize;
        bool byteShuffle = (h.Flags & BloscFrame.FlagShuffle) != 0 && typeSize > 1;
        bool bitShuffle = !byteShuffle && (h.Flags & BloscFrame.FlagBitShuffle) != 0 && bsize >= typeSize;
        byte* output = dst + blockStart;
        byte* streams = byteShuffle || bitShuffle ? tmp : output;

        int offset = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(src + BloscFrame.HeaderLength + 4L * j, 4));
        int tableEnd = BloscFrame.HeaderLength + 4 * nblocks;
        if (offset < tableEnd || offset > h.CBytes - 4) throw BloscFrame.Error($"block {j} starts at byte {offset}, outside the frame's blocks [{tableEnd}, {h.CBytes})");

        int nsplits = h.IsSplit(bsize, leftover) ? typeSize : 1;
        if (bsize % nsplits != 0) throw BloscFrame.Error($"block {j} of {bsize} bytes cannot be split into {nsplits} streams");
        int neblock = bsize / nsplits;
        for (int k = 0; k < nsplits; k++)
        {
            if (offset > h.CBytes - 4) throw BloscFrame.Error($"stream {k} of block {j} starts at byte {offset}, past the frame's {h.CBytes} bytes");
            int cbytes = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(src + offset, 4));
            offset += 4;
            if (cbytes < 0 || cbytes > h.CBytes - offset) throw BloscFrame.Error($"stream {k} of block {j} claims {cbytes} bytes, {h.CBytes - offset} are left in the frame");
            byte* target = streams + (long)k * neblock;
            if (cbytes == neblock) Buffer.MemoryCopy(src + offset, target, neblock, neblock);
            else if (!BloscStreamCodec.Decompress(h.Format, src + offset, cbytes, target, neblock))
                throw BloscFrame.Error($"stream {k} of block {j} ({BloscStreamCodec.FormatName(h.Format)}, {cbytes} bytes) does not decode to {neblock} bytes: corrupt data");
            offset += cbytes;
        }
        if (byteShuffle) BloscShuffle.Unshuffle(typeSize, tmp, output, bsize);
        else if (bitShuffle) BloscShuffle.BitUnshuffle(typeSize, tmp, output, tmp + h.BlockSize, bsize);
    }
}
