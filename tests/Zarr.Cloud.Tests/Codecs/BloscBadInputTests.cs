using System.Buffers.Binary;
using System.Diagnostics;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>Frames that are wrong in every way the header and block table can be: a <see cref="ZarrCodecException"/> each, never a crash or a large allocation.</summary>
public class BloscBadInputTests
{
    private static byte[] Data(int n, bool compressible = true)
    {
        var b = new byte[n];
        if (compressible)
            for (int i = 0; i < n / 4; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), MathF.Sin(i * 0.001f) * 20);
        else new Random(n).NextBytes(b);
        return b;
    }

    private static byte[] Frame(BloscCompressor c, BloscShuffleMode s, int typeSize, byte[] data, int blockSize = 0)
    {
        using var f = new BloscCodec(c, 5, s, typeSize, blockSize).Encode(data);
        return f.Span.ToArray();
    }

    private static readonly BloscCodec Codec = new() { MaxDegreeOfParallelism = 1 };

    private static ZarrCodecException Fails(byte[] frame, int? expected)
    {
        var e = Assert.Throws<ZarrCodecException>(() => { using var _ = Codec.Decode(frame, expected); });
        Assert.Equal("blosc", e.Codec);
        return e;
    }

    private static byte[] With(byte[] frame, int at, int value)
    {
        var f = (byte[])frame.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(at), value);
        return f;
    }

    [Fact]
    public void AHeaderClaimingMoreBytesThanTheChunkHoldsIsAnError()
    {
        var data = Data(100_000);
        var frame = Frame(BloscCompressor.LZ4, BloscShuffleMode.Shuffle, 4, data);
        Assert.Contains("claims 100000 decoded bytes, the chunk holds 99999", Fails(frame, 99_999).Message);
        // without an expected size, a claim of 2 GiB is refused before any allocation
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fails(With(frame, 4, int.MaxValue - 16), null);
        Fails(With(frame, 4, -5), null);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated on the word of the header");
        Fails(With(frame, 4, 1 << 29), 100_000);
    }

    [Fact]
    public void CompressedSizeLargerThanTheInputIsAnError()
    {
        var frame = Frame(BloscCompressor.Zstd, BloscShuffleMode.Shuffle, 4, Data(100_000));
        Assert.Contains("truncated", Fails(With(frame, 12, frame.Length + 1), 100_000).Message);
        Fails(frame[..^1], 100_000);
        Fails(frame[..15], 100_000);
        Fails([], 0);
        Fails(With(frame, 12, 3), 100_000);
    }

    [Fact]
    public void ZeroOrOversizedBlockSizeIsAnError()
    {
        var frame = Frame(BloscCompressor.BloscLZ, BloscShuffleMode.BitShuffle, 4, Data(100_000));
        Assert.Contains("block size 0", Fails(With(frame, 8, 0), 100_000).Message);
        Fails(With(frame, 8, -1), 100_000);
        Fails(With(frame, 8, 100_001), 100_000);
        // a smaller block size than written: more blocks than the table holds, or streams that do not decode
        Fails(With(frame, 8, 16), 100_000);
    }

    [Fact]
    public void BlockOffsetsOutsideTheFrameAreErrors()
    {
        var data = Data(300_000);
        var frame = Frame(BloscCompressor.LZ4, BloscShuffleMode.Shuffle, 4, data, blockSize: 65536);
        int nblocks = (300_000 + 65535) / 65536;
        foreach (var bad in new[] { -1, 0, 15, 16, 16 + 4 * nblocks - 1, frame.Length - 3, frame.Length, int.MaxValue })
            Fails(With(frame, 16, bad), 300_000);
        // a stream length past the end
        int first = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(16));
        Fails(With(frame, first, frame.Length), 300_000);
        Fails(With(frame, first, -7), 300_000);
    }

    [Fact]
    public void TruncatedStreamsAreErrors()
    {
        foreach (var c in Enum.GetValues<BloscCompressor>())
        {
            var data = Data(200_000);
            var frame = Frame(c, BloscShuffleMode.Shuffle, 4, data);
            foreach (var cut in new[] { 100, frame.Length / 2, frame.Length - 1 })
            {
                // the header made to agree with the shorter frame: the last streams run out
                var f = With(frame[..cut], 12, cut);
                Fails(f, 200_000);
            }
        }
    }

    [Fact]
    public void HeaderFieldsOutsideTheFormatAreErrors()
    {
        var frame = Frame(BloscCompressor.LZ4, BloscShuffleMode.Shuffle, 4, Data(10_000));
        byte[] Set(int at, byte v) { var f = (byte[])frame.Clone(); f[at] = v; return f; }
        Assert.Contains("c-blosc2", Fails(Set(0, 3), 10_000).Message);
        Fails(Set(0, 1), 10_000);
        Fails(Set(1, 2), 10_000);
        Fails(Set(2, (byte)(frame[2] | 0x08)), 10_000);
        Fails(Set(2, (byte)(frame[2] & 0x1f | 5 << 5)), 10_000);
        Fails(Set(2, (byte)(frame[2] & 0x1f | 7 << 5)), 10_000);
        Fails(Set(3, 0), 10_000);
        // raw (memcpyed) frames must be exactly the data and a header
        var raw = new BloscCodec(BloscCompressor.LZ4, 0).Encode(Data(1000)).Span.ToArray();
        Fails(With(raw, 12, raw.Length - 1), 1000);
        Fails(raw[..^1], 1000);
    }

    [Fact]
    public void GarbageIsAnError()
    {
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var g = new byte[rng.Next(0, 4000)];
            rng.NextBytes(g);
            Fails(g, 10_000);
        }
        Fails("not a blosc frame at all, just text"u8.ToArray(), 100);
    }

    /// <summary>Valid frames mutated at random (fixed seed, bounded): each decodes or throws ZarrCodecException, in bounded time.</summary>
    [Fact]
    public async Task FuzzedFramesOnlyEverThrowZarrCodecException()
    {
        var seeds = new List<(byte[] Frame, int Length)>();
        foreach (var c in Enum.GetValues<BloscCompressor>())
            foreach (var s in Enum.GetValues<BloscShuffleMode>())
                foreach (var (n, ts) in new[] { (300, 4), (5000, 8), (70_000, 2), (40_000, 7), (1000, 1) })
                    foreach (var compressible in new[] { true, false })
                        seeds.Add((Frame(c, s, ts, Data(n, compressible), blockSize: n > 10_000 ? 16384 : 0), n));
        var rng = new Random(20261124);
        var other = new List<string>();
        int decoded = 0, rejected = 0;
        var budget = Stopwatch.StartNew();
        var work = Task.Run(() =>
        {
            for (int i = 0; i < 30_000 && budget.Elapsed < TimeSpan.FromSeconds(20); i++)
            {
                var (seed, n) = seeds[rng.Next(seeds.Count)];
                var f = (byte[])seed.Clone();
                switch (rng.Next(6))
                {
                    case 0: // flip bytes anywhere
                        for (int k = rng.Next(1, 8); k > 0; k--) f[rng.Next(f.Length)] ^= (byte)rng.Next(1, 256);
                        break;
                    case 1: // bytes in the header and block table
                        for (int k = rng.Next(1, 4); k > 0; k--) f[rng.Next(Math.Min(f.Length, 64))] = (byte)rng.Next(256);
                        break;
                    case 2: // an int32 of the table or a stream length
                        if (f.Length >= 20) BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(rng.Next(4, f.Length - 3)), rng.Next(4) switch { 0 => rng.Next(), 1 => -rng.Next(), 2 => rng.Next(f.Length + 10), _ => 0 });
                        break;
                    case 3: // truncated, header fixed up or not
                        f = f[..rng.Next(f.Length)];
                        if (f.Length >= 16 && rng.Next(2) == 0) BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(12), f.Length);
                        break;
                    case 4: // random tail after a valid header
                        if (f.Length > 16) rng.NextBytes(f.AsSpan(16 + rng.Next(f.Length - 16)));
                        break;
                    default: // flags and typesize
                        f[2] = (byte)rng.Next(256);
                        if (rng.Next(2) == 0) f[3] = (byte)rng.Next(256);
                        break;
                }
                var codec = new BloscCodec { MaxDegreeOfParallelism = i % 5 == 0 ? 2 : 1 };
                try
                {
                    using var b = codec.Decode(f, rng.Next(4) == 0 ? null : n);
                    decoded++;
                }
                catch (ZarrCodecException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    lock (other) other.Add($"{e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }, TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.True(finished == work, "the fuzz run hung");
        await work;
        Assert.True(other.Count == 0, string.Join("\n", other.Take(5)));
        Assert.True(rejected > 1000, $"{rejected} rejected, {decoded} decoded");
    }
}
