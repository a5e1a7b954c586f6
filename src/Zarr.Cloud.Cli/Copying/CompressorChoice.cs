using Zarr.Cloud.Codecs;

namespace Zarr.Cloud.Cli.Copying;

/// <summary>The value of <c>copy --codec</c>: none, gzip, zstd or zlib, with an optional level (<c>zstd:5</c>).</summary>
internal sealed class CompressorChoice
{
    private CompressorChoice(IBytesToBytesCodec? codec) => Codec = codec;

    /// <summary>The compressor; null for none.</summary>
    public IBytesToBytesCodec? Codec { get; }

    /// <summary>Parses <c>none|gzip[:LEVEL]|zstd[:LEVEL]|zlib[:LEVEL]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="UsageException">Not one of those, or a bad level.</exception>
    public static CompressorChoice Parse(string text)
    {
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
                "none" when level is null => new CompressorChoice(null),
                "gzip" => new CompressorChoice(new GzipCodec(level ?? 5)),
                "zlib" => new CompressorChoice(new ZlibCodec(level ?? 1)),
                "zstd" => new CompressorChoice(new ZstdCodec(level ?? 0)),
                _ => throw new UsageException($"unknown --codec '{text}': use none, gzip[:LEVEL], zstd[:LEVEL] or zlib[:LEVEL]"),
            };
        }
        catch (FormatException e)
        {
            throw new UsageException($"bad --codec '{text}': {e.Message}", e);
        }
    }
}
