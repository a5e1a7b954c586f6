using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Sharding;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Sharding;

public class ShardingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => i * 0.5f - 7).ToArray();

    private static async Task<(InstrumentedStore Store, ZarrArray Array, float[] Data)> Sharded(long[] shape, int[] shards, int[] chunks, bool indexAtEnd = true, IBytesToBytesCodec? compressor = null, IAsyncStore? backing = null)
    {
        var store = new InstrumentedStore(backing ?? new MemoryStore());
        var codecs = new List<ICodec> { new BytesCodec(false) };
        if (compressor is not null) codecs.Add(compressor);
        var def = new ZarrArrayDefinition
        {
            Shape = shape, ChunkShape = shards, DataType = ZarrDataType.Float32, FillValue = float.NaN,
            Codecs = [ShardingCodec.Define(chunks, codecs, indexAtEnd)],
        };
        var array = await ZarrArray.CreateAsync(store, "s", def, cancellationToken: Ct);
        int n = (int)shape.Aggregate(1L, (a, b) => a * b);
        var data = Ramp(n);
        await array.WriteAsync(new NDArray<float>(data, shape.Select(x => (int)x).ToArray()), Ct);
        var reopened = await ZarrArray.OpenAsync(store, "s", cancellationToken: Ct);
        store.Reset();
        return (store, reopened, data);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task RoundTripsWithRaggedEdgesAndEveryStridedSelection(bool indexAtEnd, bool compressed)
    {
        long[] shape = [13, 17];
        var (_, array, data) = await Sharded(shape, [8, 8], [4, 2], indexAtEnd, compressed ? new ZstdCodec(3) : null);
        var all = await array.ReadAsync<float>(Selection.All, Ct);
        Assert.Equal(data, all.Data);
        var rng = new Random(4);
        for (int k = 0; k < 40; k++)
        {
            long a0 = rng.Next(13), a1 = rng.Next((int)a0, 14), b0 = rng.Next(17), b1 = rng.Next((int)b0, 18);
            int s0 = rng.Next(1, 4), s1 = rng.Next(1, 4);
            var part = await array.ReadAsync<float>(new Slice(a0, a1, s0), new Slice(b0, b1, s1));
            var expected = new List<float>();
            for (long i = a0; i < a1; i += s0) for (long j = b0; j < b1; j += s1) expected.Add(data[i * 17 + j]);
            Assert.Equal(expected, part.Data);
        }
    }

    [Fact]
    public async Task OneInnerChunkCostsIndexPlusChunk_ThenOnlyTheChunk()
    {
        var (store, array, data) = await Sharded([64, 64], [64, 64], [8, 8]);
        var one = await array.ReadAsync<float>(8..16, 16..24);
        Assert.Equal(data[8 * 64 + 16], one[0, 0]);
        Assert.Equal(2, store.Reads);
        long innerBytes = 8 * 8 * 4, indexBytes = 64 * 16 + 4;
        Assert.Equal(innerBytes + indexBytes, store.BytesRead);
        store.Reset();
        await array.ReadAsync<float>(24..32, 0..8);
        Assert.Equal(1, store.Reads); // the index is cached
        Assert.Equal(1, array.ShardIndexes.Hits);
    }

    [Fact]
    public async Task ARowOfAdjacentInnerChunksIsIndexPlusOneCoalescedRequest()
    {
        var (store, array, data) = await Sharded([64, 64], [64, 64], [8, 8]);
        var row = await array.ReadAsync<float>(8..16, Slice.All);
        Assert.Equal(data.Skip(8 * 64).Take(8 * 64), row.Data);
        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task AWholeShardIsAtMostTwoRequests()
    {
        var (store, array, data) = await Sharded([128, 64], [64, 64], [8, 8]);
        var shard = await array.ReadAsync<float>(64..128, Slice.All);
        Assert.Equal(data.Skip(64 * 64), shard.Data);
        Assert.True(store.Reads <= 2, $"{store.Reads} requests");
    }

    [Fact]
    public async Task EmptyInnerChunksAreOmittedAndReadAsFill()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "", new ZarrArrayDefinition
        {
            Shape = [16, 16], ChunkShape = [4, 4], ShardShape = [16, 16], DataType = ZarrDataType.Int32, FillValue = -1,
        }, cancellationToken: Ct);
        await array.WriteAsync(new Selection(0..4, 4..8), new NDArray<int>(Enumerable.Range(0, 16).ToArray(), 4, 4), Ct);
        var shard = (await store.GetAsync("c/0/0", default, Ct))!;
        var index = ((ShardingCodec)array.Pipeline.ArrayToBytes).DecodeIndex(shard.Span[^(16 * 16 + 4)..], shard.Length);
        Assert.Equal(15, Enumerable.Range(0, 16).Count(index.IsEmpty));
        Assert.False(index.IsEmpty(1));
        var all = await array.ReadAsync<int>(Selection.All, Ct);
        Assert.Equal(16 * 16 - 16, all.Data.Count(v => v == -1));
        Assert.Equal(15, all[3, 7]);
        // A partial write of another inner chunk reads, modifies and rewrites the shard.
        await array.WriteAsync(new Selection(12, 12), new NDArray<int>([99]), Ct);
        var again = await ZarrArray.OpenAsync(store, "", cancellationToken: Ct);
        Assert.Equal(99, (await again.ReadAsync<int>(12, 12)).Data[0]);
        Assert.Equal(15, (await again.ReadAsync<int>(3, 7)).Data[0]);
    }

    [Fact]
    public async Task NestedShardingAndStringsRoundTrip()
    {
        var store = new MemoryStore();
        var inner = ShardingCodec.Define([2, 2], [new BytesCodec(false), new GzipCodec(1)]);
        var outer = ShardingCodec.Define([4, 4], [inner]);
        var array = await ZarrArray.CreateAsync(store, "n", new ZarrArrayDefinition { Shape = [10, 9], ChunkShape = [8, 8], DataType = ZarrDataType.Int16, Codecs = [outer] }, cancellationToken: Ct);
        var data = Enumerable.Range(0, 90).Select(i => (short)(i * 3 - 50)).ToArray();
        await array.WriteAsync(new NDArray<short>(data, 10, 9), Ct);
        var back = await ZarrArray.OpenAsync(store, "n", cancellationToken: Ct);
        Assert.Equal(data, (await back.ReadAsync<short>(Selection.All, Ct)).Data);
        Assert.Equal(data[5 * 9 + 6], (await back.ReadAsync<short>(5, 6)).Data[0]);

        var strings = await ZarrArray.CreateAsync(store, "str", new ZarrArrayDefinition { Shape = [6], ChunkShape = [2], ShardShape = [4], DataType = ZarrDataType.String, Compressor = new ZstdCodec(1) }, cancellationToken: Ct);
        string[] words = ["a", "", "héllo", "日本", "🚀", "z"];
        await strings.WriteAsync(new NDArray<string>(words, 6), Ct);
        Assert.Equal(words, (await strings.ReadAsync<string>(Selection.All, Ct)).Data);
        Assert.Equal(words[2..5], (await strings.ReadAsync<string>(2..5)).Data);
    }

    [Fact]
    public async Task InnerChunksThatDoNotDivideTheShardAreRejected()
    {
        var e = await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrArray.CreateAsync(new MemoryStore(), "bad", new ZarrArrayDefinition
        {
            Shape = [10], ChunkShape = [10], DataType = ZarrDataType.UInt8, Codecs = [ShardingCodec.Define([3], [new BytesCodec()])],
        }, cancellationToken: Ct));
        Assert.Contains("does not divide", e.Message);
        Assert.Contains("sharding_indexed", e.Message);
    }

    public static TheoryData<string> Corruptions() => ["offset past end", "overlap", "nbytes larger than shard", "bad crc", "half empty", "truncated shard"];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task CorruptIndexesNameTheShardKey(string corruption)
    {
        var mem = new MemoryStore();
        var (_, array, _) = await Sharded([16, 16], [16, 16], [4, 4], backing: mem);
        var shard = (await mem.GetAsync("s/c/0/0", default, Ct))!.ToArray();
        int indexStart = shard.Length - (16 * 16 + 4);
        void Entry(int i, ulong offset, ulong nbytes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(indexStart + i * 16), offset);
            BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(indexStart + i * 16 + 8), nbytes);
        }
        void Recrc() => BinaryPrimitives.WriteUInt32LittleEndian(shard.AsSpan(shard.Length - 4), Crc32cCodec.Compute(shard.AsSpan(indexStart, 16 * 16)));
        switch (corruption)
        {
            case "offset past end": Entry(3, (ulong)shard.Length + 10, 64); Recrc(); break;
            case "overlap": Entry(3, 0, 64); Entry(4, 32, 64); Recrc(); break;
            case "nbytes larger than shard": Entry(3, 0, (ulong)shard.Length * 4); Recrc(); break;
            case "bad crc": shard[indexStart + 5] ^= 0x40; break;
            case "half empty": Entry(3, ulong.MaxValue, 64); Recrc(); break;
            case "truncated shard": shard = shard[..10]; break;
        }
        await mem.SetAsync("s/c/0/0", shard, Ct);
        var fresh = await ZarrArray.OpenAsync(mem, "s", cancellationToken: Ct);
        var e1 = await Assert.ThrowsAsync<ZarrCodecException>(() => fresh.ReadAsync<float>(Selection.All, Ct));
        Assert.Contains("s/c/0/0", e1.Message);
        var fresh2 = await ZarrArray.OpenAsync(mem, "s", cancellationToken: Ct);
        var e2 = await Assert.ThrowsAnyAsync<Exception>(() => fresh2.ReadAsync<float>(0..4, 12..16));
        Assert.True(e2 is ZarrCodecException or StoreException, e2.GetType().Name + ": " + e2.Message);
        Assert.Contains("s/c/0/0", e2.Message);
    }

    [Fact]
    public async Task ASmallSelectionOfAnUncompressedChunkReadsOnlyItsBytes()
    {
        var store = new InstrumentedStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(store, "raw", new ZarrArrayDefinition { Shape = [100, 1000], ChunkShape = [100, 1000], DataType = ZarrDataType.Float64, Compressor = null, BigEndian = true }, cancellationToken: Ct);
        var data = Enumerable.Range(0, 100_000).Select(i => i * 1.25).ToArray();
        await array.WriteAsync(new NDArray<double>(data, 100, 1000), Ct);
        store.Reset();
        var part = await array.ReadAsync<double>(10..13, 500..510);
        Assert.Equal(new[] { 10, 11, 12 }.SelectMany(r => Enumerable.Range(500, 10).Select(c => data[r * 1000 + c])), part.Data);
        Assert.True(store.BytesRead < 8 * 1000 * 4, $"read {store.BytesRead} bytes for 30 values");
        Assert.Equal(1, store.Reads); // three rows 8 KB apart coalesce into one request
        var column = await array.ReadAsync<double>(Slice.All, 7);
        Assert.Equal(Enumerable.Range(0, 100).Select(r => data[r * 1000 + 7]), column.Data);
    }
}
