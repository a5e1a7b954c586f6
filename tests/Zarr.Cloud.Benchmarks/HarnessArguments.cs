namespace Zarr.Cloud.Benchmarks;

/// <summary>The command-line prologue the end-to-end harnesses share: parse, or print why not.</summary>
internal static class HarnessArguments
{
    /// <summary>Parses <paramref name="args"/>; on a bad argument (or a number that does not parse) prints its message to stderr and returns false (exit code 2).</summary>
    public static bool TryParse<T>(string[] args, Func<string[], T> parse, out T options)
    {
        try
        {
            options = parse(args);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            options = default!;
            return false;
        }
    }
}
