namespace Zarr.Cloud.Tests.Support;

public static class ArrayTestHelpers
{
    /// <summary>The chunk keys below <paramref name="prefix"/> (metadata documents left out), sorted.</summary>
    public static async Task<List<string>> ChunkKeysAsync(IAsyncStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var k in store.ListAsync(prefix, TestData.Ct))
        {
            var name = k.Split('/')[^1];
            if (!name.StartsWith('.') && name != "zarr.json") keys.Add(k);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Rank 1 to 4, format 2 and 3, a memory and a file store.</summary>
    public static TheoryData<int, int, string> RanksFormatsStores()
    {
        var d = new TheoryData<int, int, string>();
        for (int rank = 1; rank <= 4; rank++)
            foreach (var format in new[] { 2, 3 })
                foreach (var store in new[] { "memory", "file" })
                    d.Add(rank, format, store);
        return d;
    }
}
