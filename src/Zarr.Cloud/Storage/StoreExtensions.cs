using System.Text.Json.Nodes;

namespace Zarr.Cloud.Storage;

/// <summary>Conveniences over <see cref="IAsyncStore"/> (kept out of the interface so implementers cannot get them wrong).</summary>
public static class StoreExtensions
{
    /// <summary>True when <paramref name="key"/> exists.</summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async ValueTask<bool> ExistsAsync(this IAsyncStore store, string key, CancellationToken cancellationToken = default)
    {
        using var v = await store.GetAsync(key, ByteRange.Bounded(0, 0), cancellationToken).ConfigureAwait(false);
        return v is not null;
    }

    /// <summary>Reads and parses a JSON value, or returns null when the key is missing.</summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="Metadata.ZarrFormatException">The value is not valid JSON.</exception>
    public static async ValueTask<JsonNode?> GetJsonAsync(this IAsyncStore store, string key, CancellationToken cancellationToken = default)
    {
        using var v = await store.GetAsync(key, default, cancellationToken).ConfigureAwait(false);
        if (v is null) return null;
        try
        {
            return JsonNode.Parse(v.Span, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 })
                ?? throw new Metadata.ZarrFormatException(key, "the JSON document is 'null'");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new Metadata.ZarrFormatException(key, $"malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes a JSON value, indented as zarr-python does. Zarr v2 documents (.zarray, .zattrs, .zgroup, .zmetadata)
    /// are pure ASCII, non-ASCII characters escaped: zarr-python 2 reads them as ASCII and fails on anything else.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="node">The JSON.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static ValueTask SetJsonAsync(this IAsyncStore store, string key, JsonNode node, CancellationToken cancellationToken = default)
    {
        var text = node.ToJsonString(Metadata.MetadataJson.WriteOptions);
        var name = key[(key.LastIndexOf('/') + 1)..];
        if (name is ".zarray" or ".zattrs" or ".zgroup" or ".zmetadata") text = Metadata.MetadataJson.EscapeNonAscii(text);
        return store.SetAsync(key, System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>
    /// Reads several ranges of one value in few requests: plans them with <see cref="RangeCoalescer"/>, issues the
    /// merged requests through <paramref name="store"/>'s <see cref="IAsyncStore.GetAsync"/> (at most
    /// <see cref="CoalescingOptions.MaxConcurrentRequests"/> at once) and slices the results back. The usual
    /// implementation of <see cref="IAsyncStore.GetRangesAsync"/> for stores without native multi-range reads.
    /// </summary>
    /// <param name="store">The store whose GetAsync makes the requests.</param>
    /// <param name="key">The key.</param>
    /// <param name="ranges">The ranges.</param>
    /// <param name="options">The plan's limits; null for <see cref="CoalescingOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static ValueTask<IReadOnlyList<StoreValue?>> GetRangesCoalescedAsync(IAsyncStore store, string key, IReadOnlyList<ByteRange> ranges, CoalescingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= CoalescingOptions.Default;
        return ReadPlannedAsync(key, ranges, options, async (merged, ct) =>
        {
            var values = new StoreValue?[merged.Count];
            var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrentRequests), CancellationToken = ct };
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, merged.Count), po, async (i, token) =>
                    values[i] = await store.GetAsync(key, merged[i], token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch
            {
                // One request failed: the others' pooled buffers go back to the pool, not to the caller.
                DisposeAll(values);
                throw;
            }
            return values;
        }, store.ToString() ?? "store", cancellationToken);
    }

    /// <summary>
    /// Plans <paramref name="ranges"/> with <see cref="RangeCoalescer"/>, fetches the merged ranges with
    /// <paramref name="fetch"/> (one batch) and slices the results back into the order of <paramref name="ranges"/>.
    /// </summary>
    internal static async ValueTask<IReadOnlyList<StoreValue?>> ReadPlannedAsync(string key, IReadOnlyList<ByteRange> ranges, CoalescingOptions options,
        Func<IReadOnlyList<ByteRange>, CancellationToken, ValueTask<IReadOnlyList<StoreValue?>>> fetch, string storeName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var plan = RangeCoalescer.Plan(ranges, options.MaxGapBytes, options.MaxMergedBytes);
        var merged = plan.Select(r => r.Offset < 0 ? ranges[r.Members[0]] : r.Range).ToList();
        var values = await fetch(merged, cancellationToken).ConfigureAwait(false);
        var results = new StoreValue?[ranges.Count];
        int done = 0;
        try
        {
            for (; done < plan.Count; done++) SliceInto(plan[done], values[done]);
        }
        catch
        {
            DisposeAll(results);
            for (int p = done + 1; p < values.Count; p++) values[p]?.Dispose();
            throw;
        }
        return results;

        void SliceInto(RangeCoalescer.Request request, StoreValue? value)
        {
            if (value is null) return;
            if (request.Offset < 0 || (request.Members.Count == 1 && value.Length == request.Length))
            {
                results[request.Members[0]] = value;
                return;
            }
            using (value)
            {
                foreach (var i in request.Members)
                {
                    var r = ranges[i];
                    long from = r.Offset - request.Offset;
                    long length = Math.Min(r.Length, value.Length - from);
                    if (from > value.Length || (length <= 0 && r.Length > 0))
                        throw new StoreException(key, storeName, $"range {r} starts past the end of the value ({value.TotalLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} bytes)", 416);
                    // Copy out: small slices must not pin the merged buffer (apache/opendal#8062).
                    int n = (int)Math.Max(0, length);
                    results[i] = new StoreValue(Buffers.PooledBuffer.CopyOf(value.Span.Slice((int)from, n)), n, value.ETag, value.TotalLength);
                }
            }
        }
    }

    private static void DisposeAll(IEnumerable<StoreValue?> values)
    {
        foreach (var v in values) v?.Dispose();
    }

    /// <summary>
    /// The backend under any middleware: follows <see cref="DelegatingStore.Inner"/> down to the store that makes the
    /// requests (the <c>S3Store</c> under a <see cref="ResilientStore"/>, say). A store that is no middleware is its own backend.
    /// </summary>
    /// <param name="store">The store, perhaps wrapped.</param>
    public static IAsyncStore GetBackend(this IAsyncStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (store is DelegatingStore d) store = d.Inner;
        return store;
    }

    /// <summary>Deletes every key under <paramref name="prefix"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="prefix">The prefix.</param>
    /// <param name="cancellationToken">Cancels the deletes.</param>
    public static async ValueTask DeletePrefixAsync(this IAsyncStore store, string prefix, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var k in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false)) keys.Add(k);
        foreach (var k in keys) await store.DeleteAsync(k, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists the immediate children of <paramref name="prefix"/> (a folder path, "" for the root):
    /// keys directly under it and the names of sub-folders, each once.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="prefix">The folder path.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public static async ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(this IAsyncStore store, string prefix, CancellationToken cancellationToken = default)
    {
        if (store is IDirectoryListingStore d) return await d.ListDirAsync(prefix.Trim('/'), cancellationToken).ConfigureAwait(false);
        var p = prefix.Trim('/');
        if (p.Length > 0) p += "/";
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var k in store.ListAsync(p, cancellationToken).ConfigureAwait(false))
        {
            var rest = k.AsSpan(p.Length);
            var slash = rest.IndexOf('/');
            if (slash < 0) keys.Add(rest.ToString());
            else folders.Add(rest[..slash].ToString());
        }
        return (keys.ToList(), folders.ToList());
    }
}
