namespace Zarr.Cloud.Tests.Arrays;

public class ResizeAppendTests : StoreBackedTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ShrinkThenGrowShowsTheFillValue(int format)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "r", new ZarrArrayDefinition { Shape = [10, 10], ChunkShape = [4, 4], DataType = ZarrDataType.Int32, FillValue = -9, ZarrFormat = format }, cancellationToken: Ct);
        var data = Enumerable.Range(1, 100).ToArray();
        await array.WriteAsync(new NDArray<int>(data, 10, 10), Ct);
        Assert.Equal(9, (await ArrayTestHelpers.ChunkKeysAsync(store, "r/")).Count);

        await array.ResizeAsync([5, 3], Ct);
        Assert.Equal([5L, 3L], array.Shape);
        // Chunks wholly outside [5, 3] are gone: only chunk rows 0-1 of chunk column 0 remain.
        Assert.Equal(new[] { array.GetChunkKey([0, 0]), array.GetChunkKey([1, 0]) }.Order(StringComparer.Ordinal), await ArrayTestHelpers.ChunkKeysAsync(store, "r/"));
        var small = await array.ReadAsync<int>(Selection.All, Ct);
        Assert.Equal(Reference.Select(data, [10, 10], new Selection(0..5, 0..3).Resolve([10, 10])), small.Data);

        await array.ResizeAsync([10, 10], Ct);
        var reopened = await ZarrArray.OpenAsync(store, "r", cancellationToken: Ct);
        Assert.Equal([10L, 10L], reopened.Shape);
        var grown = await reopened.ReadAsync<int>(Selection.All, Ct);
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 10; j++)
                Assert.Equal(i < 5 && j < 3 ? data[i * 10 + j] : -9, grown[i, j]);
    }

    [Fact]
    public async Task ShrinkToNothingDeletesEveryChunk()
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "r", new ZarrArrayDefinition { Shape = [6], ChunkShape = [2], DataType = ZarrDataType.UInt8, FillValue = (byte)3 }, cancellationToken: Ct);
        await array.WriteAsync(new NDArray<byte>([1, 2, 3, 4, 5, 6], 6), Ct);
        await array.ResizeAsync([0], Ct);
        Assert.Empty(await ArrayTestHelpers.ChunkKeysAsync(store, "r/"));
        Assert.Empty((await array.ReadAsync<byte>(Selection.All, Ct)).Data);
        await array.ResizeAsync([4], Ct);
        Assert.Equal(new byte[] { 3, 3, 3, 3 }, (await array.ReadAsync<byte>(Selection.All, Ct)).Data);
    }

    [Fact]
    public async Task ResizeRejectsBadShapes()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "r", new ZarrArrayDefinition { Shape = [6, 2], ChunkShape = [2, 2], DataType = ZarrDataType.UInt8 }, cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => array.ResizeAsync([6], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.ResizeAsync([6, -1], Ct));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AppendAlongAxis0And1(int format)
    {
        var store = new MemoryStore();
        var array = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition { Shape = [3, 4], ChunkShape = [2, 3], DataType = ZarrDataType.Float64, FillValue = double.NaN, ZarrFormat = format }, cancellationToken: Ct);
        var first = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        await array.WriteAsync(new NDArray<double>(first, 3, 4), Ct);

        var rows = Enumerable.Range(100, 8).Select(i => (double)i).ToArray();
        await array.AppendAsync(new NDArray<double>(rows, 2, 4), 0, Ct);
        Assert.Equal([5L, 4L], array.Shape);
        Assert.Equal(first.Concat(rows), (await array.ReadAsync<double>(Selection.All, Ct)).Data);

        var cols = Enumerable.Range(200, 15).Select(i => (double)i).ToArray();
        await array.AppendAsync(new NDArray<double>(cols, 5, 3), 1, Ct);
        var reopened = await ZarrArray.OpenAsync(store, "a", cancellationToken: Ct);
        Assert.Equal([5L, 7L], reopened.Shape);
        var all = await reopened.ReadAsync<double>(Selection.All, Ct);
        var left = first.Concat(rows).ToArray();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 7; j++)
                Assert.Equal(j < 4 ? left[i * 4 + j] : cols[i * 3 + j - 4], all[i, j]);
    }

    [Fact]
    public async Task AppendChecksTheOtherAxes()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "a", new ZarrArrayDefinition { Shape = [3, 4], ChunkShape = [2, 3], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => array.AppendAsync(new NDArray<int>(new int[6], 2, 3), 0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.AppendAsync(new NDArray<int>(new int[12], 3, 4), 2, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => array.AppendAsync(new NDArray<long>(new long[8], 2, 4), 0, Ct));
        Assert.Equal([3L, 4L], array.Shape);
    }

    [Fact]
    public async Task AppendToAnEmptyArray()
    {
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "a", new ZarrArrayDefinition { Shape = [0, 2], ChunkShape = [3, 2], DataType = ZarrDataType.Int64 }, cancellationToken: Ct);
        for (int n = 0; n < 4; n++) await array.AppendAsync(new NDArray<long>([n, -n], 1, 2), 0, Ct);
        Assert.Equal(new long[] { 0, 0, 1, -1, 2, -2, 3, -3 }, (await array.ReadAsync<long>(Selection.All, Ct)).Data);
    }
}
