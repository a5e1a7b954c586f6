namespace Zarr.Cloud.Codecs;

/// <summary>A chunk that does not decode (truncated, corrupt, wrong size), naming the key and the codec.</summary>
public class ZarrCodecException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The chunk key, or null when not known (the pipeline fills it in).</param>
    /// <param name="codec">The codec name.</param>
    /// <param name="message">What went wrong, with the sizes involved.</param>
    /// <param name="innerException">The cause.</param>
    public ZarrCodecException(string? key, string codec, string message, Exception? innerException = null)
        : base($"{(key is null ? "" : $"chunk '{key}', ")}codec '{codec}': {message}", innerException)
    {
        Key = key;
        Codec = codec;
        Detail = message;
    }

    /// <summary>The chunk key, when known.</summary>
    public string? Key { get; }

    /// <summary>The codec name.</summary>
    public string Codec { get; }

    /// <summary>The message without the key and codec.</summary>
    public string Detail { get; }

    /// <summary>The same error, naming <paramref name="key"/>.</summary>
    /// <param name="key">The chunk key.</param>
    public ZarrCodecException WithKey(string key) => Key is null ? new ZarrCodecException(key, Codec, Detail, InnerException) : this;
}
