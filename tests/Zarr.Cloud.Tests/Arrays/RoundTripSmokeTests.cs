namespace Zarr.Cloud.Tests.Arrays;

public class RoundTripSmokeTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task WriteThenReadFloat2D(int format)
    {
        var store = new MemoryStore();
        var arr = await ZarrArray.CreateAsync(store, "a/b", new ZarrArrayDefinition { Shape = [7, 11], ChunkShape = [3, 4], DataType = ZarrDataType.Float32, FillValue = -1f, ZarrFormat = format }, cancellationToken: TestContext.Current.CancellationToken);
        var data = new NDArray<float>(Enumerable.Range(0, 77).Select(i => (float)i).ToArray(), 7, 11);
        await arr.WriteAsync(data, TestContext.Current.CancellationToken);
        var back = await ZarrArray.OpenAsync(store, "a/b", cancellationToken: TestContext.Current.CancellationToken);
        var all = await back.ReadAsync<float>(Selection.All, TestContext.Current.CancellationToken);
        Assert.Equal(data.Data, all.Data);
        var part = await back.ReadAsync<float>(1..6, new Slice(2, null, 3));
        Assert.Equal([5, 3], part.Shape);
        Assert.Equal(data[1, 2], part[0, 0]);
        Assert.Equal(data[5, 8], part[4, 2]);
        var row = await back.ReadAsync<float>(^1);
        Assert.Equal([11], row.Shape);
        Assert.Equal(data[6, 10], row[10]);
    }
}
