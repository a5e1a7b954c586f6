namespace Zarr.Cloud.Storage;

/// <summary>
/// A store failed to read, write, list or delete a key. Carries the key, the backend, the HTTP status
/// where there is one, and whether retrying may help. Never carries a secret.
/// </summary>
public class StoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The key involved.</param>
    /// <param name="backend">The backend, e.g. "file" or "s3".</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="status">The HTTP status, where there is one.</param>
    /// <param name="isTransient">True when retrying may succeed.</param>
    /// <param name="innerException">The cause.</param>
    public StoreException(string key, string backend, string message, int? status = null, bool isTransient = false, Exception? innerException = null)
        : base($"{backend} store, key '{key}': {message}", innerException)
    {
        Key = key;
        Backend = backend;
        Status = status;
        IsTransient = isTransient;
    }

    /// <summary>The key involved.</summary>
    public string Key { get; }

    /// <summary>The backend, e.g. "file" or "s3".</summary>
    public string Backend { get; }

    /// <summary>The HTTP status, where there is one.</summary>
    public int? Status { get; }

    /// <summary>True when retrying may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>How many attempts were made before this exception was thrown (more than one after retries).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>How long the server asked the client to wait before trying again (its <c>Retry-After</c>), where it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
