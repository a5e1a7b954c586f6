using Zarr.Cloud.Codecs;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>
/// The value of <c>copy --codec</c>: none, gzip, zstd or zlib, with an optional level (<c>zstd:5</c>), or
/// <c>blosc[:CNAME[:CLEVEL[:SHUFFLE]]]</c> (<c>blosc:zstd:5:bitshuffle</c>; the type size is the array's item size).
/// </summary>
internal sealed class CompressorChoice
{
    private readonly Func<ZarrDataType, IBytesToBytesCodec?> _create;

    private CompressorChoice(IBytesToBytesCodec? codec) => _create = _ => codec;

    private CompressorChoice(Func<ZarrDataType, IBytesToBytesCodec?> create) => _create = create;

    /// <summary>The compressor for an array of <paramref name="dataType"/>; null for none.</summary>
    /// <param name="dataType">The array's data type (Blosc shuffles by its item size).</param>
    public IBytesToBytesCodec? CodecFor(ZarrDataType dataType) => _create(dataType);

    /// <summary>Parses <c>none|gzip[:LEVEL]|zstd[:LEVEL]|zlib[:LEVEL]|blosc[:CNAME[:CLEVEL[:SHUFFLE]]]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="UsageException">Not one of those, or a bad level.</exception>
    public static CompressorChoice Parse(string text)
    {
        if (text.Trim().ToLowerInvariant() is var t && (t == "blosc" || t.StartsWith("blosc:", StringComparison.Ordinal))) return ParseBlosc(text, t.Split(':')[1..]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        int? level = null;
        if (colon >= 0)
        {
            if (!int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
                throw new UsageException($"bad --codec '{text}': the level '{text[(colon + 1)..]}' is not an integer");
            level = l;
        }
        try
        {
            return name switch
            {
                "none" when level is null => new CompressorChoice((IBytesToBytesCodec?)null),
                "gzip" => new CompressorChoice(new GzipCodec(level ?? 5)),
                "zlib" => new CompressorChoice(new ZlibCodec(level ?? 1)),
                "zstd" => new CompressorChoice(new ZstdCodec(level ?? 0)),
                _ => throw new UsageException($"unknown --codec '{text}': use none, gzip[:LEVEL], zstd[:LEVEL], zlib[:LEVEL] or blosc[:CNAME[:CLEVEL[:SHUFFLE]]]"),
            };
        }
        catch (FormatException e)
        {
            throw new UsageException($"bad --codec '{text}': {e.Message}", e);
        }
    }

    /// <summary>blosc, then optionally a compressor name (default lz4), a level 0..9 (default 5), a shuffle (default shuffle).</summary>
    private static CompressorChoice ParseBlosc(string text, string[] parts)
    {
        if (parts.Length > 3) throw new UsageException($"bad --codec '{text}': use blosc[:CNAME[:CLEVEL[:SHUFFLE]]]");
        try
        {
            var cname = parts.Length > 0 && parts[0].Length > 0 ? BloscCodec.ParseCompressor(parts[0]) : BloscCompressor.LZ4;
            int level = 5;
            if (parts.Length > 1 && parts[1].Length > 0 && !int.TryParse(parts[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out level))
                throw new UsageException($"bad --codec '{text}': the level '{parts[1]}' is not an integer");
            var shuffle = BloscShuffleMode.Shuffle;
            if (parts.Length > 2 && parts[2].Length > 0)
                shuffle = parts[2] switch { "0" => BloscShuffleMode.NoShuffle, "1" => BloscShuffleMode.Shuffle, "2" => BloscShuffleMode.BitShuffle, var s => BloscCodec.ParseShuffle(s) };
            _ = new BloscCodec(cname, level, shuffle); // the settings, checked now rather than per array
            return new CompressorChoice(dt => new BloscCodec(cname, level, shuffle, dt.IsFixedSize && dt.ItemSize > 0 ? dt.ItemSize : 1));
        }
        catch (FormatException e)
        {
            throw new UsageException($"bad --codec '{text}': {e.Message}", e);
        }
    }
}
