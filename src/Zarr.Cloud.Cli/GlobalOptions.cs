using System.CommandLine;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli;

/// <summary>Options every command takes: error detail and how to reach a store.</summary>
internal sealed class GlobalOptions
{
    /// <summary><c>--verbose</c>: print the stack trace of an error.</summary>
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "On error, print the whole exception with its stack trace.", Recursive = true };

    /// <summary><c>--anonymous</c>: no credentials.</summary>
    public Option<bool> Anonymous { get; } = new("--anonymous") { Description = "Use no credentials (public cloud data).", Recursive = true };

    /// <summary><c>--endpoint</c>: a custom service endpoint.</summary>
    public Option<string?> Endpoint { get; } = new("--endpoint") { HelpName = "URL",  Description = "A custom endpoint for S3-compatible or emulated services.", Recursive = true };

    /// <summary><c>--region</c>.</summary>
    public Option<string?> Region { get; } = new("--region") { HelpName = "REGION",  Description = "The region, for backends that have regions.", Recursive = true };

    /// <summary>Adds the options to the root command.</summary>
    /// <param name="root">The root command.</param>
    public void AddTo(RootCommand root)
    {
        root.Options.Add(Verbose);
        root.Options.Add(Anonymous);
        root.Options.Add(Endpoint);
        root.Options.Add(Region);
    }

    /// <summary>Open options from the parsed command line.</summary>
    /// <param name="result">The parse result.</param>
    /// <param name="readOnly">True for a source that is only read.</param>
    /// <param name="maxConcurrency">Chunks read or written at once.</param>
    public ZarrOpenOptions OpenOptions(ParseResult result, bool readOnly, int maxConcurrency = 16)
    {
        if (maxConcurrency < 1) throw new UsageException($"--concurrency must be at least 1, got {maxConcurrency}");
        return new ZarrOpenOptions
        {
            MaxConcurrency = maxConcurrency,
            Store = new StoreOpenOptions
            {
                ReadOnly = readOnly,
                Anonymous = result.GetValue(Anonymous),
                Endpoint = result.GetValue(Endpoint),
                Region = result.GetValue(Region),
            },
        };
    }
}
