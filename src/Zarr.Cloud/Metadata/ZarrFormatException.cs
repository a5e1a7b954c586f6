namespace Zarr.Cloud.Metadata;

/// <summary>Metadata that is malformed or not supported. The message names the key and the field.</summary>
public class ZarrFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The store key of the metadata document.</param>
    /// <param name="message">What is wrong, naming the field.</param>
    /// <param name="innerException">The cause.</param>
    public ZarrFormatException(string key, string message, Exception? innerException = null)
        : base($"'{key}': {message}", innerException)
    {
        Key = key;
    }

    /// <summary>The store key of the metadata document.</summary>
    public string Key { get; }
}
