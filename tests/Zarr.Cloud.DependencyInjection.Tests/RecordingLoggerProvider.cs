using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Zarr.Cloud.DependencyInjection.Tests;

/// <summary>A logger provider that keeps what is logged, for assertions.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text, Exception? Exception)> _messages = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Text, Exception? Exception)> Messages => _messages.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._messages.Enqueue((category, logLevel, formatter(state, exception), exception));
    }
}
