using System.CommandLine;

namespace Zarr.Cloud.Cli;

/// <summary>The URL argument the commands take.</summary>
internal static class UrlArgument
{
    /// <summary>The usual description of a node URL.</summary>
    public const string NodeDescription = "An array or group: a local path (it may point into a hierarchy), file://, or a URL of a registered store (s3://, gs://, az://, https://).";

    /// <summary>Creates the argument.</summary>
    /// <param name="name">Its name in help.</param>
    /// <param name="description">Its description.</param>
    public static Argument<string> Create(string name = "URL", string description = NodeDescription) => new(name) { Description = description };
}
