using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Zarr.Cloud.Diagnostics;

namespace Zarr.Cloud.Storage;

/// <summary>
/// Retries the transient failures of the wrapped store, one request at a time, on a Polly
/// <see cref="ResiliencePipeline"/>: decorrelated-jitter exponential backoff, a server's <c>Retry-After</c>, a timeout
/// per attempt and one for the whole request, as <see cref="ResilienceOptions"/> says. The one retry layer of a store
/// stack (backend SDK retries are off by default).
/// </summary>
/// <remarks>
/// <para>
/// Transient: a <see cref="StoreException"/> with <see cref="StoreException.IsTransient"/> (connection errors and
/// resets, 408, 429, 5xx, S3's SlowDown, a body cut short), an attempt that outlived
/// <see cref="ResilienceOptions.AttemptTimeout"/>, and <see cref="IOException"/>, <see cref="SocketException"/>,
/// <see cref="HttpRequestException"/> and <see cref="TimeoutException"/> from stores that do not map their errors.
/// Nothing else is retried: not other 4xx, not a missing key (null), and never the caller's cancellation.
/// </para>
/// <para>
/// When the attempts run out or <see cref="ResilienceOptions.TotalTimeout"/> passes, the caller gets a
/// <see cref="StoreException"/> naming the key, the number of attempts (<see cref="StoreException.Attempts"/>) and the
/// last status and cause; never partial data. Each retry adds one to <see cref="ZarrCloudTelemetry.StoreRetries"/> and
/// logs a warning with the key, the attempt, the status and the delay.
/// </para>
/// <para>
/// <see cref="GetRangesAsync"/> merges the ranges with <see cref="RangeCoalescer"/> and sends each merged request
/// through the pipeline on its own, so one failed request is retried without repeating the others.
/// <see cref="ListAsync"/> is retried only until it yields its first key.
/// </para>
/// </remarks>
public sealed class ResilientStore : DelegatingStore
{
    private static readonly ResiliencePropertyKey<AttemptLog> LogKey = new("Zarr.Cloud.ResilientStore.Attempts");

    private static readonly Action<ILogger, string, string, int, string, double, string, Exception?> RetryWarning =
        LoggerMessage.Define<string, string, int, string, double, string>(LogLevel.Warning, new EventId(1, "StoreRetry"),
            "Retrying {Operation} of key '{Key}' after attempt {Attempt} failed with {Status}; waiting {DelayMs} ms. Cause: {Cause}");

    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger? _logger;
    private readonly CoalescingOptions _coalescing;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store whose requests are retried.</param>
    /// <param name="options">How to retry; null for the defaults.</param>
    /// <param name="logger">Where each retry is logged at Warning; null for nowhere.</param>
    /// <param name="timeProvider">The clock of delays and timeouts; null for <see cref="TimeProvider.System"/>.</param>
    /// <param name="coalescing">How <see cref="GetRangesAsync"/> merges ranges; null for <see cref="CoalescingOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public ResilientStore(IAsyncStore inner, ResilienceOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null, CoalescingOptions? coalescing = null)
        : base(inner)
    {
        Options = options ?? new ResilienceOptions();
        Options.Validate();
        _logger = logger;
        _coalescing = coalescing ?? CoalescingOptions.Default;
        _pipeline = BuildPipeline(Options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The retry settings (validated when the store was made).</summary>
    public ResilienceOptions Options { get; }

    private ResiliencePipeline BuildPipeline(ResilienceOptions o, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = o.TotalTimeout,
            OnTimeout = args =>
            {
                if (args.Context.Properties.TryGetValue(LogKey, out var log)) log.TotalTimedOut = true;
                return default;
            },
        });
        if (o.Enabled && o.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.InitialDelay,
                MaxDelay = o.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    o.HonorRetryAfter && args.Outcome.Exception is StoreException { RetryAfter: { } wait } ? Clamp(wait, o.MaxDelay) : null),
                OnRetry = args =>
                {
                    OnRetry(args.Context, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }
        builder.AddTimeout(o.AttemptTimeout);
        return builder.Build();
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan max) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;

    /// <summary>
    /// True when <paramref name="e"/> may go away on a retry. <paramref name="cancellationToken"/> is the token of the
    /// request: a cancellation it asked for is not a failure.
    /// </summary>
    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        StoreException s => s.IsTransient,
        TimeoutRejectedException => true, // the attempt timeout
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException or SocketException or HttpRequestException or TimeoutException => true,
        _ => false,
    };

    private void OnRetry(ResilienceContext context, Exception? failure, int attempt, TimeSpan delay)
    {
        var log = context.Properties.GetValue(LogKey, null!);
        if (failure is TimeoutRejectedException) log.Last = failure;
        var store = failure as StoreException;
        var tags = new TagList { { "zarr.backend", store?.Backend ?? BackendName } };
        if (store?.Status is { } status) tags.Add("http.response.status_code", status);
        ZarrCloudTelemetry.StoreRetries.Add(1, tags);
        if (_logger is not null && _logger.IsEnabled(LogLevel.Warning))
        {
            RetryWarning(_logger, log.Operation, log.Key, attempt, DescribeStatus(failure), delay.TotalMilliseconds,
                failure is null ? "unknown" : StoreUrlRedactor.Redact(failure.Message), null);
        }
    }

    private static string DescribeStatus(Exception? failure) => failure switch
    {
        StoreException { Status: { } s } => s.ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "attempt timeout",
        null => "unknown",
        _ => failure.GetType().Name,
    };

    /// <summary>The backend's telemetry name ("http", "s3"), for failures that are not a <see cref="StoreException"/> naming one.</summary>
    private string BackendName => _backendName ??= InstrumentedStore.BackendName(Inner.GetBackend());

    private string? _backendName;

    /// <summary>Runs <paramref name="action"/> through the pipeline, as one request of <paramref name="operation"/> on <paramref name="key"/>.</summary>
    private async ValueTask<T> ExecuteAsync<T>(string key, string operation, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        var log = new AttemptLog(key, operation);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LogKey, log);
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) =>
            {
                var (log, action) = state;
                Interlocked.Increment(ref log.Attempts);
                try
                {
                    return await action(ctx.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ctx.CancellationToken.IsCancellationRequested)
                {
                    // An attempt cut short by a timeout is no failure of its own: the last real one is kept.
                    log.Last = e;
                    throw;
                }
            }, context, (log, action)).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && GiveUp(e, log) is { } final)
        {
            throw final;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// The exception the caller sees when <paramref name="e"/> ended the request: a <see cref="StoreException"/> that
    /// names the attempts and the last cause, or null to let <paramref name="e"/> through unchanged (a permanent
    /// failure of the first attempt).
    /// </summary>
    private StoreException? GiveUp(Exception e, AttemptLog log)
    {
        int attempts = Volatile.Read(ref log.Attempts);
        var last = log.Last as StoreException;
        string backend = last?.Backend ?? BackendName;
        string lastCause = log.Last is null ? "none (the attempt was still running)" : CauseOf(log.Last, log.Key);
        if (log.TotalTimedOut && e is TimeoutRejectedException)
        {
            return new StoreException(log.Key, backend,
                $"{log.Operation} gave up after {attempts} attempt{(attempts == 1 ? "" : "s")}: no success within the total timeout of {Seconds(Options.TotalTimeout)} (ResilienceOptions.TotalTimeout); the last failure: {lastCause}",
                last?.Status, isTransient: true, e) { Attempts = attempts, RetryAfter = last?.RetryAfter };
        }
        if (e is TimeoutRejectedException)
        {
            return new StoreException(log.Key, backend,
                $"{log.Operation} gave up after {attempts} attempt{(attempts == 1 ? "" : "s")}: the last one did not finish within {Seconds(Options.AttemptTimeout)} (ResilienceOptions.AttemptTimeout)",
                null, isTransient: true, e) { Attempts = attempts };
        }
        if (attempts <= 1 || !IsTransient(e, CancellationToken.None)) return null;
        var store = e as StoreException;
        return new StoreException(log.Key, store?.Backend ?? backend,
            $"{log.Operation} gave up after {attempts} attempts; the last failure: {CauseOf(e, log.Key)}",
            store?.Status, isTransient: true, e) { Attempts = attempts, RetryAfter = store?.RetryAfter };
    }

    /// <summary>The message of <paramref name="e"/> without the "backend store, key 'k': " head a StoreException starts with.</summary>
    private static string CauseOf(Exception e, string key)
    {
        var message = StoreUrlRedactor.Redact(e.Message);
        if (e is StoreException s)
        {
            var head = $"{s.Backend} store, key '{key}': ";
            if (message.StartsWith(head, StringComparison.Ordinal)) message = message[head.Length..];
            if (s.Status is { } status && !message.Contains(status.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                message = $"status {status}: {message}";
        }
        else
        {
            message = $"{e.GetType().Name}: {message}";
        }
        return message;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    // ------------------------------------------------------------------ the store

    /// <inheritdoc />
    public override ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
        => ExecuteAsync(key, "GET", ct => Inner.GetAsync(key, range, ct), cancellationToken);

    /// <summary>
    /// Reads several ranges of one value: merged by <see cref="RangeCoalescer"/>, each merged request retried on its own
    /// through <see cref="GetAsync"/>, the results cut back into the order of <paramref name="ranges"/>.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="ranges">The parts to read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public override ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
        => StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, _coalescing, cancellationToken);

    /// <inheritdoc />
    public override async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
        => await ExecuteAsync(key, "PUT", async ct =>
        {
            await Inner.SetAsync(key, value, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
        => await ExecuteAsync(key, "DELETE", async ct =>
        {
            await Inner.DeleteAsync(key, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
        => ExecuteAsync(prefix, "LIST", ct => Inner.ListDirAsync(prefix, ct), cancellationToken);

    /// <summary>
    /// Lists through the wrapped store, retrying a listing that fails before its first key; once a key has been
    /// yielded, a failure goes to the caller (a restarted listing would yield keys twice).
    /// </summary>
    /// <param name="prefix">The prefix; empty lists everything.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public override async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<string>? enumerator = null;
        CancellationTokenSource? listing = null;
        try
        {
            bool any = await ExecuteAsync(prefix, "LIST", async attemptToken =>
            {
                if (enumerator is not null) await enumerator.DisposeAsync().ConfigureAwait(false);
                listing?.Dispose();
                // The enumerator outlives the attempt: it gets its own token, which the attempt's timeout cancels only
                // while the attempt runs.
                listing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                enumerator = Inner.ListAsync(prefix, listing.Token).GetAsyncEnumerator(listing.Token);
                using (attemptToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), listing))
                    return await enumerator.MoveNextAsync().ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (!any) yield break;
            yield return enumerator!.Current;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false)) yield return enumerator.Current;
        }
        finally
        {
            if (enumerator is not null) await enumerator.DisposeAsync().ConfigureAwait(false);
            listing?.Dispose();
        }
    }

    /// <summary>What happened to one request: its attempts, its last failure, whether the total timeout ended it.</summary>
    private sealed class AttemptLog(string key, string operation)
    {
        public readonly string Key = key;
        public readonly string Operation = operation;
        public int Attempts;
        public volatile Exception? Last;
        public volatile bool TotalTimedOut;
    }
}
