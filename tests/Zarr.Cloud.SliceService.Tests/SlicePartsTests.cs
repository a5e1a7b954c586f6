using Zarr.Cloud.Indexing;
using Zarr.Cloud.Samples.SliceService.Slicing;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>The block reader behind streamed slices: parts in C order, each within the part size.</summary>
public sealed class SlicePartsTests(DemoData demo)
{
    [Theory]
    [InlineData("3,:,:", 64 * 360, 3, 64 * 360)]          // a map: the time index is fixed, so bands of latitudes (64, 64, 52)
    [InlineData("0:20,0:90,0:90", 3 * 8100, 7, 3 * 8100)] // bands of 3 time steps
    [InlineData("2,5,:", 100, 4, 100)]                    // one row: bands of the last axis (100, 100, 100, 60)
    [InlineData("-1,::7,1::5", 1, 26, 72)]                // one latitude (72 cells) is the least a part holds
    public async Task Parts_AreTheSelectionInCOrder_InBoundedPieces(string sel, long partCells, int parts, int largest)
    {
        var ct = TestContext.Current.CancellationToken;
        var selection = Selection.Parse(sel, 3);
        var read = new List<short[]>();
        await foreach (var part in SliceParts.ReadAsync<short>(demo.Sst, selection.Resolve(demo.Sst.Shape), partCells, ct)) read.Add(part);
        Assert.Equal(parts, read.Count);
        Assert.Equal(largest, read.Max(p => p.Length));
        Assert.Equal((await demo.Sst.ReadAsync<short>(selection, ct)).Data, read.SelectMany(p => p).ToArray());
    }
}
