namespace Zarr.Cloud.Tests.Support;

/// <summary>Deterministic test inputs.</summary>
public static class TestData
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>n pseudo-random bytes from a fixed seed.</summary>
    public static byte[] RandomBytes(int n, int seed = 1)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>n bytes that compress well (a short repeating pattern with some noise).</summary>
    public static byte[] CompressibleBytes(int n, int seed = 1)
    {
        var r = new Random(seed);
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i % 17 == 0 ? r.Next(256) : i % 7);
        return b;
    }

    /// <summary>The bytes 0, 1, 2, ... n-1 (mod 256).</summary>
    public static byte[] Sequence(int n) => Enumerable.Range(0, n).Select(i => (byte)i).ToArray();
}
