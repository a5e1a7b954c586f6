using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests;

/// <summary>
/// ReadAsync allocates its output without zeroing it, so every element must be written by a decoded chunk or
/// the fill value. These reads leave garbage behind in the pool of freed memory first, then check every element.
/// </summary>
public class UninitializedReadOutputTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryElementIsWrittenWhenChunksAreMissing(int format)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new MemoryStore();
        // 600 x 700 floats (> 1 MiB, so the output is a large object), chunks 128 x 128; edge chunks are partial.
        var arr = await ZarrArray.CreateAsync(store, "a", new ZarrArrayDefinition { Shape = [600, 700], ChunkShape = [128, 128], DataType = ZarrDataType.Float32, FillValue = -1f, ZarrFormat = format }, cancellationToken: ct);
        // Write only rows 128..383 (two chunk rows); every other chunk is missing and reads as the fill value.
        var part = new float[256 * 700];
        for (int i = 0; i < part.Length; i++) part[i] = i % 9973;
        await arr.WriteAsync(new Selection(new Slice(128, 384), AxisSelection.All), new NDArray<float>(part, 256, 700), ct);
        for (int round = 0; round < 3; round++)
        {
            // Garbage of the same size, freed just before the read, for the allocator to hand back.
            var garbage = new float[600 * 700];
            Array.Fill(garbage, float.NaN);
            GC.KeepAlive(garbage);
            garbage = null;
            GC.Collect();
            var all = await arr.ReadAsync<float>(Selection.All, ct);
            for (int r = 0; r < 600; r++)
                for (int c = 0; c < 700; c++)
                {
                    float expected = r is >= 128 and < 384 ? ((r - 128) * 700 + c) % 9973 : -1f;
                    Assert.Equal(expected, all[r, c]);
                }
            var strided = await arr.ReadAsync<float>(new Slice(1, 600, 7), new Slice(3, 700, 5));
            for (int i = 0; i < strided.Shape[0]; i++)
                for (int j = 0; j < strided.Shape[1]; j++)
                    Assert.Equal(all[1 + 7 * i, 3 + 5 * j], strided[i, j]);
        }
    }
}
