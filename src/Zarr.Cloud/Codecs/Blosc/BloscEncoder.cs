using System.Buffers;
using System.Buffers.Binary;
using Zarr.Cloud.Buffers;

namespace Zarr.Cloud.Codecs.Blosc;

/// <summary>
/// Writes c-blosc 1.x frames as c-blosc 1.21 does by default: the same automatic block sizes, the same rule for
/// splitting blocks into one stream per byte of the type ("forward compatible" split mode), streams that do not
/// shrink stored raw, and the whole buffer stored raw (memcpyed) when the level is 0, the buffer is shorter than 128
/// bytes, or the frame would not be smaller than the data plus its header.
/// </summary>
internal static unsafe class BloscEncoder
{
    private const int L1 = 32 * 1024;

    /// <summary>The largest frame for <paramref name="length"/> bytes: the data and a header.</summary>
    public static int MaxEncodedLength(int length) => length + BloscFrame.HeaderLength;

    private static bool HighRatio(BloscCompressor c) => c is BloscCompressor.LZ4HC or BloscCompressor.Zlib or BloscCompressor.Zstd;

    /// <summary>c-blosc's default ("forward compatible") split rule: every codec but zstd, types up to 16 bytes, streams of 128 bytes or more.</summary>
    public static bool SplitsBlocks(BloscCompressor c, int typeSize, int blockSize)
        => c != BloscCompressor.Zstd && typeSize <= BloscFrame.MaxSplits && blockSize / typeSize >= BloscFrame.MinBufferSize;

    /// <summary>The block size c-blosc 1.x picks (or clamps a requested one to).</summary>
    public static int ComputeBlockSize(BloscCompressor c, int clevel, int typeSize, int nbytes, int forced)
    {
        if (nbytes < typeSize) return 1;
        int bs = nbytes;
        if (forced > 0) bs = Math.Clamp(forced, BloscFrame.MinBufferSize, BloscFrame.MaxBlockSize);
        else if (nbytes >= L1)
        {
            bs = L1;
            if (HighRatio(c)) bs *= 2;
            bs = clevel switch
            {
                0 => bs / 4,
                1 => bs / 2,
                2 => bs,
                3 => bs * 2,
                4 or 5 => bs * 4,
                6 or 7 or 8 => bs * 8,
                _ => bs * 8 * (HighRatio(c) ? 2 : 1),
            };
        }
        if (clevel > 0 && SplitsBlocks(c, typeSize, bs))
        {
            bs = Math.Min(bs, 1 << 18) * typeSize;
            bs = Math.Clamp(bs, 1 << 16, 1 << 20);
        }
        if (bs > nbytes) bs = nbytes;
        if (bs > typeSize) bs = bs / typeSize * typeSize;
        return bs;
    }

    /// <summary>Encodes <paramref name="data"/> into a frame.</summary>
    public static PooledBuffer Encode(ReadOnlySpan<byte> data, BloscCompressor compressor, int clevel, BloscShuffleMode shuffle, int typeSize, int forcedBlockSize)
    {
        int nbytes = data.Length;
        if (nbytes > BloscFrame.MaxBufferSize) throw BloscFrame.Error($"{nbytes} bytes are more than a frame holds ({BloscFrame.MaxBufferSize})");
        if (typeSize is <= 0 or > BloscFrame.MaxTypeSize) typeSize = 1; // as c-blosc: wider types are a stream of bytes
        int bs = ComputeBlockSize(compressor, clevel, typeSize, nbytes, forcedBlockSize);
        int nblocks = nbytes == 0 ? 0 : (int)(((long)nbytes + bs - 1) / bs);
        byte flags = (byte)(BloscStreamCodec.FormatOf(compressor) << 5);
        if (shuffle == BloscShuffleMode.Shuffle) flags |= BloscFrame.FlagShuffle;
        if (shuffle == BloscShuffleMode.BitShuffle) flags |= BloscFrame.FlagBitShuffle;
        bool split = SplitsBlocks(compressor, typeSize, bs);
        if (!split) flags |= BloscFrame.FlagDontSplit;
        bool raw = clevel == 0 || nbytes < BloscFrame.MinBufferSize;

        var output = new PooledBuffer(MaxEncodedLength(nbytes));
        try
        {
            fixed (byte* src = data)
            fixed (byte* dst = output.Span)
            {
                int ntbytes = 0;
                if (!raw)
                {
                    ntbytes = BloscFrame.HeaderLength + 4 * nblocks;
                    if (ntbytes > output.Length) raw = true;
                    else
                    {
                        byte[]? scratch = shuffle != BloscShuffleMode.NoShuffle ? ArrayPool<byte>.Shared.Rent(2 * bs) : null;
                        try
                        {
                            fixed (byte* tmp = scratch)
                            {
                                for (int j = 0; j < nblocks && !raw; j++)
                                {
                                    BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(dst + BloscFrame.HeaderLength + 4 * j, 4), ntbytes);
                                    ntbytes = CompressBlock(src, dst, output.Length, ntbytes, j, nbytes, bs, typeSize, compressor, clevel, shuffle, split, tmp);
                                    raw = ntbytes == 0;
                                }
                            }
                        }
                        finally
                        {
                            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
                        }
                    }
                }
                if (raw)
                {
                    flags |= BloscFrame.FlagMemcpyed;
                    data.CopyTo(output.Span[BloscFrame.HeaderLength..]);
                    ntbytes = nbytes + BloscFrame.HeaderLength;
                }
                var header = output.Span;
                header[0] = BloscFrame.FormatVersion;
                header[1] = 1; // every compressor's format version
                header[2] = flags;
                header[3] = (byte)typeSize;
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], nbytes);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], bs);
                BinaryPrimitives.WriteInt32LittleEndian(header[12..], ntbytes);
                output.Truncate(ntbytes);
                return output;
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Shuffles and compresses block <paramref name="j"/> at <paramref name="ntbytes"/>; the new end, or 0 when the frame would not shrink.</summary>
    private static int CompressBlock(byte* src, byte* dst, int maxbytes, int ntbytes, int j, int nbytes, int bs, int typeSize,
        BloscCompressor compressor, int clevel, BloscShuffleMode shuffle, bool split, byte* tmp)
    {
        bool leftover = j == (nbytes - 1) / bs && nbytes % bs != 0;
        int bsize = leftover ? nbytes % bs : bs;
        byte* block = src + (long)j * bs;
        byte* data = block;
        if (shuffle == BloscShuffleMode.Shuffle && typeSize > 1)
        {
            BloscShuffle.Shuffle(typeSize, block, tmp, bsize);
            data = tmp;
        }
        else if (shuffle == BloscShuffleMode.BitShuffle && bsize >= typeSize)
        {
            BloscShuffle.BitShuffle(typeSize, block, tmp, tmp + bs, bsize);
            data = tmp;
        }
        int nsplits = split && !leftover ? typeSize : 1;
        int neblock = bsize / nsplits;
        for (int k = 0; k < nsplits; k++)
        {
            ntbytes += 4;
            int maxout = BloscStreamCodec.MaxOutput(compressor, neblock);
            if (ntbytes + (long)maxout > maxbytes)
            {
                maxout = maxbytes - ntbytes;
                if (maxout <= 0) return 0;
            }
            byte* stream = data + (long)k * neblock;
            int cbytes = BloscStreamCodec.Compress(compressor, clevel, stream, neblock, dst + ntbytes, maxout);
            if (cbytes <= 0 || cbytes >= neblock)
            {
                // a stream that does not shrink is stored raw: a length equal to its size says so
                if (ntbytes + (long)neblock > maxbytes) return 0;
                Buffer.MemoryCopy(stream, dst + ntbytes, neblock, neblock);
                cbytes = neblock;
            }
            BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(dst + ntbytes - 4, 4), cbytes);
            ntbytes += cbytes;
        }
        return ntbytes;
    }
}
