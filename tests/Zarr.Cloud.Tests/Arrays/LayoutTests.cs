using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Zarr.Cloud.Tests.Arrays;

/// <summary>What is stored: chunk byte layouts (order F, transpose, big-endian), 0-d arrays, zero-length axes.</summary>
public class LayoutTests : StoreBackedTests
{
    private static async Task<byte[]> RawChunk(IAsyncStore store, string key)
    {
        using var v = await store.GetAsync(key, default, Ct);
        Assert.NotNull(v);
        return v.ToArray();
    }

    [Fact]
    public async Task V2OrderFStoresChunksInFortranOrder()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "f", new ZarrArrayDefinition { Shape = [2, 3], ChunkShape = [2, 3], DataType = ZarrDataType.Int16, ZarrFormat = 2, Order = 'F', Compressor = null }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<short>([1, 2, 3, 4, 5, 6], 2, 3), Ct);
        var raw = await RawChunk(store, "f/0.0");
        // Column-major: 1 4 2 5 3 6.
        Assert.Equal(new short[] { 1, 4, 2, 5, 3, 6 }, Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2))));
        Assert.Equal("F", (await store.GetJsonAsync("f/.zarray", Ct))!["order"]!.GetValue<string>());
        var reopened = await ZarrArray.OpenAsync(store, "f", cancellationToken: Ct);
        Assert.Equal([1, 2, 3, 4, 5, 6], (await reopened.ReadAsync<short>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task V2OrderFReadsWhatNumpyWrites()
    {
        // A chunk as zarr-python v2 writes it for order F, dtype >i4, no compressor: column-major, big-endian.
        var store = new MemoryStore();
        await store.SetJsonAsync("n/.zarray", JsonNode.Parse("""{"zarr_format":2,"shape":[3,4],"chunks":[2,3],"dtype":">i4","compressor":null,"fill_value":0,"order":"F","filters":null}""")!, Ct);
        int[,] full = new int[3, 4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) full[i, j] = i * 10 + j;
        for (int ci = 0; ci < 2; ci++)
            for (int cj = 0; cj < 2; cj++)
            {
                var chunk = new byte[2 * 3 * 4];
                int o = 0;
                for (int j = 0; j < 3; j++)
                    for (int i = 0; i < 2; i++, o += 4)
                    {
                        int gi = ci * 2 + i, gj = cj * 3 + j;
                        BinaryPrimitives.WriteInt32BigEndian(chunk.AsSpan(o), gi < 3 && gj < 4 ? full[gi, gj] : 0);
                    }
                await store.SetAsync($"n/{ci}.{cj}", chunk, Ct);
            }
        var array = await ZarrArray.OpenAsync(store, "n", cancellationToken: Ct);
        var got = await array.ReadAsync<int>(Selection.All, Ct);
        Assert.Equal(full.Cast<int>(), got.Data);
    }

    [Fact]
    public async Task V3TransposeCodecChangesTheStoredLayoutOnly()
    {
        var store = new MemoryStore();
        var definition = new ZarrArrayDefinition
        {
            Shape = [2, 3, 4], ChunkShape = [2, 3, 4], DataType = ZarrDataType.UInt8,
            Codecs = [new TransposeCodec([2, 0, 1]), new BytesCodec(null)],
        };
        var array = await ZarrArray.CreateAsync(store, "t", definition, cancellationToken: Ct);
        var data = Enumerable.Range(0, 24).Select(i => (byte)i).ToArray();
        await array.WriteAsync(new NDArray<byte>(data, 2, 3, 4), Ct);
        var raw = await RawChunk(store, "t/c/0/0/0");
        // Encoded axes are (2, 0, 1): encoded[k, i, j] = decoded[i, j, k].
        int o = 0;
        for (int k = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) Assert.Equal(data[(i * 3 + j) * 4 + k], raw[o++]);
        Assert.Equal(data, (await (await ZarrArray.OpenAsync(store, "t", cancellationToken: Ct)).ReadAsync<byte>(Selection.All, Ct)).Data);
        var partial = await array.ReadAsync<byte>(new Selection(1, new Slice(0, 3, 2), ^1), Ct);
        Assert.Equal([data[(1 * 3 + 0) * 4 + 3], data[(1 * 3 + 2) * 4 + 3]], partial.Data);
    }

    [Fact]
    public async Task V3OrderFIsATransposeCodec()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "t", new ZarrArrayDefinition { Shape = [3, 5], ChunkShape = [2, 2], DataType = ZarrDataType.Float32, Order = 'F' }, cancellationToken: Ct);
        var codecs = (await store.GetJsonAsync("t/zarr.json", Ct))!["codecs"]!.AsArray();
        Assert.Equal("transpose", codecs[0]!["name"]!.GetValue<string>());
        var data = Enumerable.Range(0, 15).Select(i => i * 0.5f).ToArray();
        await array.WriteAsync(new NDArray<float>(data, 3, 5), Ct);
        Assert.Equal(data, (await array.ReadAsync<float>(Selection.All, Ct)).Data);
    }

    [Theory]
    [InlineData(">i2", 2)]
    [InlineData(">u4", 4)]
    [InlineData(">f8", 8)]
    [InlineData(">c8", 4)]
    [InlineData(">M8[s]", 8)]
    [InlineData(">U2", 4)]
    public async Task V2BigEndianDTypesStoreBigEndianBytes(string dtype, int unit)
    {
        var store = new MemoryStore();
        var type = ZarrDataType.Parse(dtype);
        var array = await ZarrArray.CreateAsync(store, "b", new ZarrArrayDefinition { Shape = [3], ChunkShape = [3], DataType = type, ZarrFormat = 2, Compressor = null }, cancellationToken: Ct);
        Assert.Equal(dtype, (await store.GetJsonAsync("b/.zarray", Ct))!["dtype"]!.GetValue<string>());
        var method = typeof(LayoutTests).GetMethod(nameof(WriteRandomAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(type.ClrType);
        var expected = await (Task<byte[]>)method.Invoke(null, [array])!;
        for (int o = 0; o < expected.Length; o += unit) Array.Reverse(expected, o, unit);
        Assert.Equal(expected, await RawChunk(store, "b/0"));
    }

    /// <summary>Writes three random values and returns their little-endian bytes, computed without the library.</summary>
    private static async Task<byte[]> WriteRandomAsync<T>(ZarrArray array)
    {
        var values = RandomValues.Make<T>(array.DataType, 3, 42);
        await array.WriteAsync(new NDArray<T>(values, 3), Ct);
        Assert.Equal(values, (await array.ReadAsync<T>(Selection.All, Ct)).Data);
        int width = array.DataType.ItemSize;
        if (values is string[] text)
        {
            // UTF-32LE code points, NUL-padded to the fixed width.
            var padded = new byte[text.Length * width];
            for (int i = 0; i < text.Length; i++) System.Text.Encoding.UTF32.GetBytes(text[i]).CopyTo(padded, i * width);
            return padded;
        }
        // Blittable values: their in-memory bytes on this little-endian machine.
        Assert.True(BitConverter.IsLittleEndian);
        var raw = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(values)), values.Length * width);
        return raw.ToArray();
    }

    [Theory]
    [InlineData(2, "z/0")]
    [InlineData(3, "z/c")]
    public async Task ZeroDimensionalArrays(int format, string chunkKey)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "z", new ZarrArrayDefinition { Shape = [], ChunkShape = [], DataType = ZarrDataType.Float64, FillValue = 1.25, ZarrFormat = format }, cancellationToken: Ct);
        Assert.Equal(0, array.Rank);
        var empty = await array.ReadAsync<double>(Selection.All, Ct);
        Assert.Empty(empty.Shape);
        Assert.Equal([1.25], empty.Data);
        await array.WriteAsync(new NDArray<double>([-3.5]), Ct);
        Assert.NotNull(await RawChunkOrNull(store, chunkKey));
        var reopened = await ZarrArray.OpenAsync(store, "z", cancellationToken: Ct);
        Assert.Empty(reopened.Shape);
        Assert.Equal(new[] { -3.5 }, (await reopened.ReadAsync<double>(Selection.All, Ct)).Data);
        var into = new double[1];
        await reopened.ReadAsync(Selection.All, into.AsMemory(), Ct);
        Assert.Equal(-3.5, into[0]);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => reopened.ReadAsync<double>(0));
    }

    private static async Task<byte[]?> RawChunkOrNull(IAsyncStore store, string key)
    {
        using var v = await store.GetAsync(key, default, Ct);
        return v?.ToArray();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ZeroDimensionalStrings(int format)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "z", new ZarrArrayDefinition { Shape = [], DataType = ZarrDataType.String, FillValue = "none", ZarrFormat = format }, cancellationToken: Ct);
        Assert.Equal(new[] { "none" }, (await array.ReadAsync<string>(Selection.All, Ct)).Data);
        await array.WriteAsync(new NDArray<string>(["ünï"]), Ct);
        Assert.Equal(new[] { "ünï" }, (await (await ZarrArray.OpenAsync(store, "z", cancellationToken: Ct)).ReadAsync<string>(Selection.All, Ct)).Data);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ZeroLengthDimensions(int format)
    {
        var store = new InstrumentedStore(new MemoryStore());
        var array = await ZarrArray.CreateAsync(store, "e", new ZarrArrayDefinition { Shape = [0, 5], ChunkShape = [4, 4], DataType = ZarrDataType.Int32, ZarrFormat = format }, cancellationToken: Ct);
        store.Reset();
        var all = await array.ReadAsync<int>(Selection.All, Ct);
        Assert.Equal([0, 5], all.Shape);
        Assert.Empty(all.Data);
        var part = await array.ReadAsync<int>(new Selection(.., 1..3), Ct);
        Assert.Equal([0, 2], part.Shape);
        await array.WriteAsync(new NDArray<int>([], 0, 5), Ct);
        Assert.Equal(0, store.Requests);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync<int>(0));
        var reopened = await ZarrArray.OpenAsync(store, "e", cancellationToken: Ct);
        Assert.Equal([0L, 5L], reopened.Shape);
    }

    [Fact]
    public async Task ChunkKeySeparators()
    {
        var store = new MemoryStore();
        var v2Slash = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition { Shape = [4, 4], ChunkShape = [2, 2], DataType = ZarrDataType.UInt8, ZarrFormat = 2, ChunkKeySeparator = '/' }, cancellationToken: Ct);
        var v3Dot = await ZarrArray.CreateAsync(store, "b", new ZarrArrayDefinition { Shape = [4, 4], ChunkShape = [2, 2], DataType = ZarrDataType.UInt8, ChunkKeySeparator = '.' }, cancellationToken: Ct);
        Assert.Equal("a/1/0", v2Slash.GetChunkKey([1, 0]));
        Assert.Equal("b/c.1.0", v3Dot.GetChunkKey([1, 0]));
        foreach (var a in new[] { v2Slash, v3Dot })
        {
            await a.WriteAsync(new NDArray<byte>(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), 4, 4), Ct);
            Assert.NotNull(await RawChunkOrNull(store, a.GetChunkKey([1, 0])));
            var reopened = await ZarrArray.OpenAsync(store, a.Path, cancellationToken: Ct);
            Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), (await reopened.ReadAsync<byte>(Selection.All, Ct)).Data);
        }
    }
}
