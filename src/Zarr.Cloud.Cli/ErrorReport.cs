using System.Reflection;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli;

/// <summary>
/// Turns an exception into the one line <c>zarr: error: ...</c> and an exit code. Everything it writes goes through
/// <see cref="StoreUrlRedactor"/>: a signature or token in a URL the user typed, or in a message from a store, never
/// reaches the terminal or a log.
/// </summary>
internal static class ErrorReport
{
    /// <summary>Exit code of a usage error (bad option, selection or output format).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Exit code of any other failure (missing node, corrupt data, store errors).</summary>
    public const int FailureExitCode = 1;

    /// <summary>Exit code after Ctrl+C.</summary>
    public const int CancelledExitCode = 130;

    /// <summary>Writes the error line (and with <paramref name="verbose"/> the whole exception) and returns the exit code.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="verbose">True to add the stack trace.</param>
    /// <param name="error">Standard error.</param>
    public static int Write(Exception exception, bool verbose, TextWriter error)
    {
        var e = Unwrap(exception);
        int code = e switch
        {
            UsageException => UsageExitCode,
            OperationCanceledException => CancelledExitCode,
            _ => FailureExitCode,
        };
        var message = e is OperationCanceledException ? "cancelled" : MessageOf(e);
        error.WriteLine($"zarr: error: {StoreUrlRedactor.Redact(message)}");
        if (verbose) error.WriteLine(StoreUrlRedactor.Redact(exception.ToString()));
        return code;
    }

    /// <summary>Writes a one-line usage error and returns <see cref="UsageExitCode"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="error">Standard error.</param>
    public static int WriteUsage(string message, TextWriter error)
    {
        error.WriteLine($"zarr: error: {StoreUrlRedactor.Redact(OneLine(message))} (see 'zarr --help')");
        return UsageExitCode;
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: > 0 } a:
                    e = a.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }

    /// <summary>The message without ArgumentException's "(Parameter 'x')" suffix, on one line.</summary>
    /// <param name="e">The exception.</param>
    public static string MessageOf(Exception e)
    {
        var m = e.Message;
        if (e is ArgumentException { ParamName: { } p })
        {
            var suffix = $" (Parameter '{p}')";
            if (m.EndsWith(suffix, StringComparison.Ordinal)) m = m[..^suffix.Length];
        }
        return OneLine(m);
    }

    private static string OneLine(string s) => string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
