namespace Zarr.Cloud.Cli;

/// <summary>Where a command writes: standard output for results, standard error for errors and statistics.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Errors, warnings and <c>--stats</c>.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);
