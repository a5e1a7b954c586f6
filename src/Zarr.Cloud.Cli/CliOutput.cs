namespace Zarr.Cloud.Cli;

/// <summary>Where a command writes: standard output for results, standard error for errors and statistics.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Errors, warnings and <c>--stats</c>.</param>
/// <param name="Interactive">True when both are the process's console and neither is redirected: then a progress bar may be drawn on standard error.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error, bool Interactive = false);
