namespace Zarr.Cloud.Benchmarks;

/// <summary>
/// One chunk of the read-local dataset's kind, made in process so micro benchmarks need no files:
/// 256 x 1024 float32, a sum of sines plus small noise (the same formula as make_dataset.py).
/// </summary>
internal static class SyntheticChunk
{
    public const int Rows = 256;
    public const int Cols = 1024;

    public static float[] Make(int row0 = 0, int seed = 1)
    {
        var rng = new Random(seed);
        var a = new float[Rows * Cols];
        for (int r = 0; r < Rows; r++)
        {
            double i = row0 + r;
            for (int c = 0; c < Cols; c++)
            {
                double j = c;
                // Box-Muller for the noise
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double noise = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                a[r * Cols + c] = (float)(15.0
                    + 8.0 * Math.Sin(2 * Math.PI * i / 4096 + j / 163.0)
                    + 3.0 * Math.Sin(2 * Math.PI * j / 97.0) * Math.Cos(2 * Math.PI * i / 733.0)
                    + 0.5 * Math.Sin(2 * Math.PI * (i + j) / 41.0)
                    + 0.01 * noise);
            }
        }
        return a;
    }
}
