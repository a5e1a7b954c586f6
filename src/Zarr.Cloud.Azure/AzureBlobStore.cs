using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Azure;

/// <summary>
/// A store in an Azure Blob Storage container (also ADLS Gen2 accounts, through their Blob API), on Azure.Storage.Blobs:
/// a key is a blob name below <see cref="Prefix"/>. Opened from <c>az://container/path</c>,
/// <c>abfs[s]://container@account.dfs.core.windows.net/path</c> or <c>https://account.blob.core.windows.net/container/path</c>
/// with <see cref="FromUrl(string, StoreOpenOptions?)"/> (or by <c>ZarrGroup.OpenAsync</c> once this package is referenced), or from a container
/// client of the caller's.
/// </summary>
/// <remarks>
/// Azure rejects suffix ranges, so the last N bytes are read by asking for the blob's size first; the size is cached
/// per key (with the ETag the ranged read is conditioned on, so a changed blob is never read at a stale offset). The
/// SDK's retries are off by default: the store stack retries, once, above the backend. Errors are
/// <see cref="StoreException"/>s with the status; 404 reads are null; 5xx, 408, 429 and network failures are transient.
/// </remarks>
public sealed class AzureBlobStore : IAsyncStore, IDirectoryListingStore
{
    private const string Backend = "azure";
    private const int MaxCachedSizes = 4096;

    private readonly string _root;
    private readonly int? _listPageSize;
    private readonly string[] _secrets;
    private readonly bool _anonymous;
    private readonly ConcurrentDictionary<string, (long Size, ETag ETag)> _sizes = new(StringComparer.Ordinal);

    /// <summary>A store over a container client of the caller's (its credential, options and pipeline are used as they are).</summary>
    /// <param name="container">The container.</param>
    /// <param name="prefix">The path inside the container the store is rooted at ("" for the container's root).</param>
    /// <param name="readOnly">True to refuse writes.</param>
    /// <param name="listPageSize">How many names one listing request asks for (the service's default when null).</param>
    public AzureBlobStore(BlobContainerClient container, string prefix = "", bool readOnly = false, int? listPageSize = null)
        : this(container, prefix, readOnly, listPageSize, SecretsOf(null, container.Uri.Query), anonymous: false)
    {
    }

    private AzureBlobStore(BlobContainerClient container, string prefix, bool readOnly, int? listPageSize, string[] secrets, bool anonymous)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (listPageSize is <= 0) throw new ArgumentOutOfRangeException(nameof(listPageSize), listPageSize, "The page size must be positive.");
        Container = container;
        Prefix = StoreKeys.NormalizePath(prefix);
        _root = Prefix.Length == 0 ? "" : Prefix + "/";
        ReadOnly = readOnly;
        _listPageSize = listPageSize;
        _secrets = secrets;
        _anonymous = anonymous;
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>The path inside the container the store is rooted at ("" for the container's root).</summary>
    public string Prefix { get; }

    /// <summary>True when writes are refused.</summary>
    public bool ReadOnly { get; }

    /// <inheritdoc />
    /// <remarks>No <see cref="StoreCapabilities.SuffixRanges"/>: the first suffix read of a key costs a second request (for its size).</remarks>
    public StoreCapabilities Capabilities => (ReadOnly ? StoreCapabilities.All & ~StoreCapabilities.Write : StoreCapabilities.All) & ~StoreCapabilities.SuffixRanges;

    /// <summary>
    /// Opens the store a URL names: <c>az://container/path</c>, <c>az://container@account.blob.core.windows.net/path</c>,
    /// <c>abfs[s]://container@account.dfs.core.windows.net/path</c> or <c>https://account.blob.core.windows.net/container/path[?sas]</c>,
    /// rooted at the path. Nothing is sent until the first request.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <param name="options">Credentials and endpoint (an <see cref="AzureBlobStoreOptions"/>, or common options); null for the defaults and the environment.</param>
    /// <exception cref="ArgumentException">The URL is not an Azure Blob Storage URL, or names no account where one is needed.</exception>
    public static AzureBlobStore FromUrl(string url, StoreOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return FromUrl(new Uri(url), options, Environment.GetEnvironmentVariable);
    }

    internal static AzureBlobStore FromUrl(Uri url, StoreOpenOptions? options, Func<string, string?> environment)
    {
        var o = AzureBlobStoreOptions.From(options);
        var address = AzureBlobAddress.Parse(url);
        var connection = AzureConnection.Choose(address, o, environment);
        return new AzureBlobStore(connection.CreateContainerClient(address.Container, o), address.Path, o.ReadOnly, o.ListPageSize, connection.Secrets,
            connection.Kind == AzureConnection.CredentialKind.Anonymous);
    }

    private static string[] SecretsOf(string? accountKey, string? sas)
    {
        var list = new List<string>();
        if (!string.IsNullOrEmpty(accountKey)) list.Add(accountKey);
        if (!string.IsNullOrEmpty(sas))
        {
            var token = sas.TrimStart('?');
            list.Add(token);
            foreach (var part in token.Split('&'))
                if (part.StartsWith("sig=", StringComparison.OrdinalIgnoreCase) && part.Length > 4)
                {
                    list.Add(part[4..]);
                    list.Add(Uri.UnescapeDataString(part[4..]));
                }
        }
        return list.Distinct().ToArray();
    }

    internal static string[] SecretsOfConnection(string? accountKey, string? sas) => SecretsOf(accountKey, sas);

    private BlobClient Blob(string key)
    {
        StoreKeys.Validate(key);
        return Container.GetBlobClient(_root + key);
    }

    // ------------------------------------------------------------------ reads

    /// <inheritdoc />
    public async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        try
        {
            switch (range.Kind)
            {
                case ByteRangeKind.Bounded when range.Length == 0:
                    return await GetEmptyRangeAsync(key, blob, range.Offset, cancellationToken).ConfigureAwait(false);
                case ByteRangeKind.Suffix:
                    return await GetSuffixAsync(key, blob, range.Length, cancellationToken).ConfigureAwait(false);
                default:
                    return await DownloadAsync(key, blob, range, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (IsMissing(e))
        {
            _sizes.TryRemove(key, out _);
            return null;
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw Map(key, e);
        }
    }

    /// <summary>An empty range: the blob's properties (one HEAD), which say whether it exists and how long it is.</summary>
    private async Task<StoreValue?> GetEmptyRangeAsync(string key, BlobClient blob, long offset, CancellationToken cancellationToken)
    {
        var (size, etag) = await GetSizeAsync(key, blob, cancellationToken).ConfigureAwait(false);
        if (offset > size) throw PastTheEnd(key, ByteRange.Bounded(offset, 0), size);
        return new StoreValue(ReadOnlyMemory<byte>.Empty, etag.ToString(), size);
    }

    private async Task<(long Size, ETag ETag)> GetSizeAsync(string key, BlobClient blob, CancellationToken cancellationToken)
    {
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        Remember(key, properties.ContentLength, properties.ETag);
        return (properties.ContentLength, properties.ETag);
    }

    /// <summary>
    /// The last <paramref name="length"/> bytes. Azure has no suffix ranges: the size comes from the cache or one
    /// properties request, and the range read is conditioned on the ETag that size belongs to; a blob changed since
    /// (412) or shrunk (416) drops the cached size and is read again with a fresh one.
    /// </summary>
    private async Task<StoreValue?> GetSuffixAsync(string key, BlobClient blob, long length, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool cached = _sizes.TryGetValue(key, out var known);
            if (!cached) known = await GetSizeAsync(key, blob, cancellationToken).ConfigureAwait(false);
            long n = Math.Min(length, known.Size);
            if (n == 0)
            {
                // Nothing to read: a fresh size also proves the blob is still there.
                if (cached) { _sizes.TryRemove(key, out _); continue; }
                return new StoreValue(ReadOnlyMemory<byte>.Empty, known.ETag.ToString(), known.Size);
            }
            try
            {
                return await DownloadAsync(key, blob, ByteRange.Bounded(known.Size - n, n), known.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when ((e.Status == 412 || e.Status == 416) && attempt == 0)
            {
                _sizes.TryRemove(key, out _);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StoreException(key, Backend, "the blob changed twice while its last bytes were read", 412, isTransient: true, Withhold(e));
            }
        }
    }

    private async Task<StoreValue?> DownloadAsync(string key, BlobClient blob, ByteRange range, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var options = new BlobDownloadOptions
        {
            Range = range.Kind switch
            {
                ByteRangeKind.Bounded => new HttpRange(range.Offset, range.Length),
                ByteRangeKind.FromOffset when range.Offset > 0 => new HttpRange(range.Offset),
                _ => default,
            },
            Conditions = ifMatch is null ? null : new BlobRequestConditions { IfMatch = ifMatch },
        };
        var response = await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
        using var result = response.Value;
        var details = result.Details;
        long bodyLength = details.ContentLength;
        long start = 0, total = bodyLength;
        if (details.ContentRange is { Length: > 0 } contentRange && !TryParseContentRange(contentRange, out start, out total))
            throw new StoreException(key, Backend, $"the service answered with an unreadable Content-Range '{contentRange}'");
        if (!range.TryResolve(total, out var wantStart, out var wantLength))
            throw PastTheEnd(key, range, total);
        if (start != wantStart || bodyLength != wantLength)
            throw new StoreException(key, Backend, $"asked for {range} of {total} bytes, the service answered bytes {start}..{start + bodyLength}", isTransient: true);
        PooledBuffer buffer;
        try
        {
            buffer = await PooledBuffer.ReadFromAsync(result.Content, bodyLength, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StoreException(key, Backend, $"the response body failed after it started: {e.Message}", isTransient: true, innerException: Withhold(e));
        }
        if (buffer.Length != bodyLength)
        {
            buffer.Dispose();
            throw new StoreException(key, Backend, $"the response ended after {buffer.Length} of {bodyLength} bytes", isTransient: true);
        }
        Remember(key, total, details.ETag);
        return new StoreValue(buffer, buffer.Length, details.ETag.ToString(), total);
    }

    /// <summary>Parses <c>bytes START-END/TOTAL</c> (END unread: Azurite writes <c>bytes 0--1/0</c> for an empty blob).</summary>
    internal static bool TryParseContentRange(string value, out long start, out long total)
    {
        start = total = 0;
        var s = value.AsSpan().Trim();
        if (!s.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase)) return false;
        s = s[6..].Trim();
        int dash = s.IndexOf('-'), slash = s.IndexOf('/');
        return dash > 0 && slash > dash
            && long.TryParse(s[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && long.TryParse(s[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out total);
    }

    private void Remember(string key, long size, ETag etag)
    {
        if (_sizes.Count >= MaxCachedSizes) _sizes.Clear();
        _sizes[key] = (size, etag);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        return StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, null, cancellationToken);
    }

    // ------------------------------------------------------------------ writes

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        if (ReadOnly) throw new StoreException(key, Backend, "the store is read-only");
        _sizes.TryRemove(key, out _);
        try
        {
            var info = (await blob.UploadAsync(BinaryData.FromBytes(value), new BlobUploadOptions(), cancellationToken).ConfigureAwait(false)).Value;
            Remember(key, value.Length, info.ETag);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw Map(key, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = Blob(key);
        if (ReadOnly) throw new StoreException(key, Backend, "the store is read-only");
        _sizes.TryRemove(key, out _);
        try
        {
            await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // deleting a missing key (or from a missing container) is not an error
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw Map(key, e);
        }
    }

    // ------------------------------------------------------------------ listing

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var pages = Container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = _root + prefix }, cancellationToken)
            .AsPages(null, _listPageSize);
        await foreach (var page in Pages(pages, prefix, cancellationToken).ConfigureAwait(false))
            foreach (var item in page.Values)
                if (!IsFolderMarker(item.Metadata)) yield return item.Name[_root.Length..];
    }

    /// <inheritdoc />
    public async ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = prefix.Trim('/');
        if (prefix.Length > 0) StoreKeys.Validate(prefix);
        var full = _root + (prefix.Length == 0 ? "" : prefix + "/");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var pages = Container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Traits = BlobTraits.Metadata, Delimiter = "/", Prefix = full }, cancellationToken)
            .AsPages(null, _listPageSize);
        await foreach (var page in Pages(pages, prefix, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                if (item.IsPrefix) folders.Add(item.Prefix[full.Length..].TrimEnd('/'));
                else if (!IsFolderMarker(item.Blob.Metadata)) keys.Add(item.Blob.Name[full.Length..]);
            }
        }
        return (keys.ToList(), folders.ToList());
    }

    /// <summary>The pages of a listing; a missing container lists nothing, other failures become <see cref="StoreException"/>s.</summary>
    private async IAsyncEnumerable<Page<T>> Pages<T>(IAsyncEnumerable<Page<T>> pages, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : notnull
    {
        var e = pages.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await e.MoveNextAsync().ConfigureAwait(false)) yield break;
                }
                catch (RequestFailedException x) when (IsMissing(x))
                {
                    yield break;
                }
                catch (Exception x) when (IsFailure(x, cancellationToken))
                {
                    throw Map(prefix, x);
                }
                yield return e.Current;
            }
        }
        finally
        {
            await e.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A directory entry of a hierarchical-namespace (ADLS Gen2) account, listed as an empty blob: not a key.</summary>
    private static bool IsFolderMarker(IDictionary<string, string>? metadata)
        => metadata is not null && metadata.TryGetValue("hdi_isfolder", out var v) && v.Equals("true", StringComparison.OrdinalIgnoreCase);

    // ------------------------------------------------------------------ errors

    /// <summary>
    /// A 404 that means "no such blob or container". Not Azure's answer to an anonymous request for a private container
    /// (404 ResourceNotFound, which hides whether it exists): read as missing, that would turn a whole private dataset
    /// into fill values.
    /// </summary>
    private bool IsMissing(RequestFailedException e) => e.Status == 404 && !(_anonymous && e.ErrorCode == "ResourceNotFound");

    /// <summary>Failures this store turns into <see cref="StoreException"/>; the caller's own cancellation passes through.</summary>
    private static bool IsFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        StoreException => false,
        RequestFailedException or AuthenticationFailedException or IOException or HttpRequestException => true,
        System.Xml.XmlException or FormatException => true,  // the SDK could not read an answer (a broken proxy, a cut body)
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private StoreException Map(string key, Exception e)
    {
        switch (e)
        {
            case RequestFailedException r:
            {
                bool transient = r.Status is 0 or 408 or 429 or >= 500 || r.ErrorCode is "ServerBusy" or "OperationTimedOut" or "InternalError";
                var what = r.Status == 0 ? $"the request failed before an answer ({r.InnerException?.GetType().Name ?? "network"})" : $"HTTP {r.Status}" + (r.ErrorCode is null ? "" : $" {r.ErrorCode}");
                if (r.Status == 403) what += ": access denied (check the credential and its permissions on the container)";
                if (r.Status == 404) what += ": not found, or not public (an anonymous request for a private container reads as missing in Azure)";
                if (r.Status == 416) what += ": the range starts past the end of the value";
                return new StoreException(key, Backend, what, r.Status == 0 ? null : r.Status, transient, Withhold(r))
                {
                    RetryAfter = r.GetRawResponse() is { } raw && raw.Headers.TryGetValue("Retry-After", out var wait)
                        ? RetryAfterHeader.Parse(wait, DateTimeOffset.UtcNow) : null,
                };
            }
            case AuthenticationFailedException:
                return new StoreException(key, Backend, "no credential could be obtained (set a connection string, key, SAS, or sign in for DefaultAzureCredential; Anonymous for public containers)", 401, false, Withhold(e));
            case OperationCanceledException:
                return new StoreException(key, Backend, "the request timed out", 408, true, Withhold(e));
            case System.Xml.XmlException or FormatException:
                return new StoreException(key, Backend, $"the service's answer could not be read ({e.GetType().Name})", null, true, Withhold(e));
            default:
                return new StoreException(key, Backend, $"the request failed: {e.GetType().Name}", null, true, Withhold(e));
        }
    }

    private static StoreException PastTheEnd(string key, ByteRange range, long size)
        => new(key, Backend, $"range {range} starts past the end of the value ({size} bytes)", 416);

    /// <summary>The exception to attach as a cause, unless its text holds one of this store's secrets.</summary>
    private Exception? Withhold(Exception e)
    {
        if (_secrets.Length == 0) return e;
        var text = e.ToString();
        foreach (var s in _secrets)
            if (text.Contains(s, StringComparison.Ordinal)) return new IOException($"{e.GetType().Name} (its details are withheld: they held a credential)");
        return e;
    }

    /// <inheritdoc />
    public override string ToString()
        => $"AzureBlobStore({AzureBlobAddress.Redact(Container.Uri)}{(Prefix.Length == 0 ? "" : "/" + Prefix)})";
}
