namespace Zarr.Cloud.Tests.Arrays;

/// <summary>A chunk that does not decode surfaces as ZarrCodecException naming its store key, on every path that reads it.</summary>
public sealed class CorruptChunkTests : StoreBackedTests
{
    public static TheoryData<int, string, string, string> Cases()
    {
        var d = new TheoryData<int, string, string, string>();
        foreach (var format in new[] { 2, 3 })
            foreach (var store in new[] { "memory", "file" })
                foreach (var compressor in new[] { "none", "zstd", "gzip", "zlib" })
                    foreach (var corruption in new[] { "garbage", "truncated", "empty", "longer" })
                        d.Add(format, store, compressor, corruption);
        return d;
    }

    private static IBytesToBytesCodec? Compressor(string name) => name switch
    {
        "zstd" => new ZstdCodec(3), "gzip" => new GzipCodec(1), "zlib" => new ZlibCodec(1), _ => null,
    };

    /// <summary>Replaces a stored value: on disk by rewriting the file, as a corrupt file would be found.</summary>
    private async Task Corrupt(IAsyncStore store, string key, Func<byte[], byte[]> change)
    {
        byte[] original;
        using (var v = await store.GetAsync(key, default, Ct)) original = v!.ToArray();
        var changed = change(original);
        if (store is FileSystemStore fs) await File.WriteAllBytesAsync(Path.Combine(fs.Root, key), changed, Ct);
        else await store.SetAsync(key, changed, Ct);
    }

    private static Func<byte[], byte[]> Corruption(string name) => name switch
    {
        "garbage" => b => TestData.RandomBytes(b.Length + 3, 3), // uncompressed bytes of the right size are just other values
        "truncated" => b => b[..(b.Length / 2)],
        "empty" => _ => [],
        _ => b => [.. b, 0, 1, 2, 3, 4, 5, 6, 7],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ReadsNameTheCorruptChunk(int format, string storeKind, string compressor, string corruption)
    {
        var store = Stores.Create(storeKind);
        var array = await ZarrArray.CreateAsync(store, "g/arr", new ZarrArrayDefinition { Shape = [6, 6], ChunkShape = [3, 3], DataType = ZarrDataType.Float64, ZarrFormat = format, Compressor = Compressor(compressor) }, cancellationToken: Ct);
        var data = Enumerable.Range(0, 36).Select(i => i + 0.25).ToArray();
        await array.WriteAsync(new NDArray<double>(data, 6, 6), Ct);
        var key = array.GetChunkKey([0, 1]);
        Assert.Equal(format == 3 ? "g/arr/c/0/1" : "g/arr/0.1", key);
        await Corrupt(store, key, Corruption(corruption));

        var reopened = await ZarrArray.OpenAsync(store, "g/arr", cancellationToken: Ct);
        // The whole array (the chunk decodes straight into the output) and a part of the chunk (decoded, then copied).
        foreach (var selection in new[] { Selection.All, new Selection(1, 3..5), new Selection(new Slice(0, 6, 2), new Slice(0, 6, 2)) })
        {
            var e = await Assert.ThrowsAsync<ZarrCodecException>(() => reopened.ReadAsync<double>(selection, Ct));
            Assert.Equal(key, e.Key);
            Assert.Contains($"'{key}'", e.Message);
        }
        // The other chunks still read.
        Assert.Equal(Reference.Select(data, [6, 6], new Selection(3.., ..).Resolve([6, 6])), (await reopened.ReadAsync<double>(new Selection(3.., ..), Ct)).Data);

        // A partial write must read the chunk first, and says which one it could not.
        var w = await Assert.ThrowsAsync<ZarrCodecException>(() => reopened.WriteAsync(new Selection(0, 4), new NDArray<double>([1.0]), Ct));
        Assert.Equal(key, w.Key);
        // So must a resize that cuts it.
        var r = await Assert.ThrowsAsync<ZarrCodecException>(() => reopened.ResizeAsync([6, 5], Ct));
        Assert.Equal(key, r.Key);
        // A whole-chunk write replaces it without reading it.
        await reopened.WriteAsync(new Selection(0..3, 3..6), new NDArray<double>(new double[9], 3, 3), Ct);
        Assert.Equal(new double[9], (await reopened.ReadAsync<double>(new Selection(0..3, 3..6), Ct)).Data);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CorruptStringChunks(int format)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition { Shape = [4], ChunkShape = [2], DataType = ZarrDataType.String, ZarrFormat = format, Compressor = null }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<string>(["a", "b", "c", "d"], 4), Ct);
        var key = array.GetChunkKey([1]);
        // vlen-utf8 with a count larger than the chunk, a length past the end, invalid UTF-8.
        foreach (var hex in new[] { "0300000001000000610100000062", "02000000010000006109000000", "0200000001000000ff0100000062" })
        {
            await store.SetAsync(key, Convert.FromHexString(hex), Ct);
            var e = await Assert.ThrowsAsync<ZarrCodecException>(() => array.ReadAsync<string>(Selection.All, Ct));
            Assert.Equal(key, e.Key);
            Assert.Equal("vlen-utf8", e.Codec);
        }
    }

    [Fact]
    public async Task AZstdFrameClaimingGigabytesInAStringArrayFailsFast()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "s", new ZarrArrayDefinition { Shape = [4], ChunkShape = [4], DataType = ZarrDataType.String, Compressor = new ZstdCodec() }, cancellationToken: Ct);
        var frame = new byte[] { 0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0xf0, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00 };
        await store.SetAsync(array.GetChunkKey([0]), frame, Ct);
        var e = await Assert.ThrowsAsync<ZarrCodecException>(() => array.ReadAsync<string>(Selection.All, Ct));
        Assert.Equal("s/c/0", e.Key);
        Assert.Equal("zstd", e.Codec);
    }

    [Fact]
    public async Task AChecksumMismatchNamesTheChunk()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "c", new ZarrArrayDefinition { Shape = [8], ChunkShape = [4], DataType = ZarrDataType.Int32, Compressor = new Crc32cCodec() }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<int>(Enumerable.Range(1, 8).ToArray(), 8), Ct);
        await Corrupt(store, "c/c/1", b => { b[0] ^= 1; return b; });
        var e = await Assert.ThrowsAsync<ZarrCodecException>(() => array.ReadAsync<int>(Selection.All, Ct));
        Assert.Equal("c/c/1", e.Key);
        Assert.Equal("crc32c", e.Codec);
        Assert.Contains("checksum", e.Message);
    }
}
