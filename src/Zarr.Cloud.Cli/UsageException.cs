namespace Zarr.Cloud.Cli;

/// <summary>
/// Bad input on the command line (an option value that does not parse, a selection that does not fit the
/// array, an output format that cannot hold the data): reported in one line, exit code 2.
/// </summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, and where possible what to do instead.</param>
    /// <param name="innerException">The cause, or null.</param>
    public UsageException(string message, Exception? innerException = null) : base(message, innerException) { }
}
