namespace Zarr.Cloud.Tests.Faults;

/// <summary>
/// Random reads of known values (whole values, bounded, from-offset and suffix ranges, batches of ranges, missing keys),
/// each checked byte for byte against what was stored: the workload of the fault tests, shared by every backend.
/// </summary>
public static class RandomReadWorkload
{
    /// <summary>What a run did.</summary>
    public sealed record Counts(int Whole, int Ranges, int Batches, int Missing);

    /// <summary>Values of random sizes (0 to <paramref name="maxSize"/> bytes, a few empty) under keys like <c>k/7</c>.</summary>
    public static Dictionary<string, byte[]> MakeValues(int count, int maxSize, int seed)
    {
        var random = new Random(seed);
        var values = new Dictionary<string, byte[]>();
        for (int i = 0; i < count; i++)
        {
            var bytes = new byte[i % 10 == 9 ? 0 : random.Next(1, maxSize)];
            random.NextBytes(bytes);
            values[$"k/{i}"] = bytes;
        }
        return values;
    }

    /// <summary>
    /// Runs <paramref name="reads"/> random reads, <paramref name="parallelism"/> at a time, and fails on the first one
    /// whose bytes differ from <paramref name="values"/>. Every value returned is disposed.
    /// </summary>
    public static async Task<Counts> RunAsync(IAsyncStore store, IReadOnlyDictionary<string, byte[]> values, int reads, int seed, int parallelism, CancellationToken ct)
    {
        var keys = values.Keys.Order(StringComparer.Ordinal).ToArray();
        int whole = 0, ranges = 0, batches = 0, missing = 0;
        var po = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, reads), po, async (i, token) =>
        {
            var random = new Random(HashCode.Combine(seed, i));
            int dice = random.Next(100);
            if (dice < 5)
            {
                Interlocked.Increment(ref missing);
                Assert.Null(await store.GetAsync($"missing/{i}", default, token));
                return;
            }
            var key = keys[random.Next(keys.Length)];
            var data = values[key];
            if (dice < 30)
            {
                Interlocked.Increment(ref whole);
                using var v = await store.GetAsync(key, default, token);
                Check(data, v, key, "whole value");
            }
            else if (dice < 80)
            {
                Interlocked.Increment(ref ranges);
                var range = RandomRange(random, data.Length);
                using var v = await store.GetAsync(key, range, token);
                Check(Expected(data, range), v, key, range.ToString());
            }
            else
            {
                Interlocked.Increment(ref batches);
                var batch = Enumerable.Range(0, random.Next(2, 7)).Select(_ => RandomRange(random, data.Length)).ToArray();
                var results = await store.GetRangesAsync(key, batch, token);
                try
                {
                    Assert.Equal(batch.Length, results.Count);
                    for (int r = 0; r < batch.Length; r++) Check(Expected(data, batch[r]), results[r], key, $"batch range {batch[r]}");
                }
                finally
                {
                    foreach (var v in results) v?.Dispose();
                }
            }
        });
        return new Counts(whole, ranges, batches, missing);
    }

    /// <summary>A satisfiable range of a value of <paramref name="length"/> bytes (bounded, from an offset, or a suffix).</summary>
    private static ByteRange RandomRange(Random random, int length)
    {
        if (length == 0) return random.Next(2) == 0 ? ByteRange.Suffix(random.Next(1, 10)) : ByteRange.All;
        int offset = random.Next(length);
        return random.Next(4) switch
        {
            0 => ByteRange.FromOffset(offset),
            1 => ByteRange.Suffix(random.Next(1, length + 10)),
            _ => ByteRange.Bounded(offset, random.Next(1, length - offset + 1)),
        };
    }

    private static byte[] Expected(byte[] data, ByteRange range)
    {
        Assert.True(range.TryResolve(data.Length, out var start, out var length));
        return data.AsSpan((int)start, (int)length).ToArray();
    }

    private static void Check(byte[] expected, StoreValue? actual, string key, string what)
    {
        Assert.NotNull(actual);
        if (!actual.Span.SequenceEqual(expected))
            Assert.Fail($"{key} {what}: {actual.Length} bytes read, {expected.Length} expected, or different bytes");
    }
}
