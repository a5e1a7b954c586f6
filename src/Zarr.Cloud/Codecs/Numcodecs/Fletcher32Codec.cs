using System.Text.Json.Nodes;

namespace Zarr.Cloud.Codecs.Numcodecs;

/// <summary>
/// numcodecs' <c>Fletcher32</c> (v2 id "fletcher32", v3 name "numcodecs.fletcher32"; numcodecs 0.12 and later): the
/// Fletcher-32 checksum as HDF5 computes it (16-bit words taken big-endian from byte pairs, an odd last byte as the
/// high byte of a word, sums folded every 360 words), 4 bytes little-endian, after the data.
/// Reference: https://numcodecs.readthedocs.io/en/stable/checksum32.html#fletcher32
/// </summary>
public sealed class Fletcher32Codec : Checksum32Codec
{
    /// <summary>Creates the codec.</summary>
    public Fletcher32Codec() : base(atEnd: true) { }

    /// <inheritdoc />
    public override string Id => "fletcher32";

    /// <inheritdoc />
    protected override bool DefaultAtEnd => true;

    /// <summary>Builds the codec (it has no configuration).</summary>
    /// <param name="configuration">The configuration (ignored).</param>
    public static Fletcher32Codec FromConfiguration(JsonObject? configuration)
    {
        _ = configuration;
        return new Fletcher32Codec();
    }

    /// <inheritdoc />
    public override uint Compute(ReadOnlySpan<byte> data) => Fletcher32(data);

    /// <summary>HDF5's Fletcher-32 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    public static uint Fletcher32(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2;
        int p = 0;
        while (words > 0)
        {
            int run = Math.Min(words, 360);
            words -= run;
            for (int k = 0; k < run; k++, p += 2)
            {
                sum1 += (uint)((data[p] << 8) | data[p + 1]);
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        if ((data.Length & 1) != 0)
        {
            sum1 += (uint)(data[p] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}
