using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;
using Zarr.Cloud.Buffers;
using Zarr.Cloud.Storage;
using ByteRange = Zarr.Cloud.Storage.ByteRange;

namespace Zarr.Cloud.S3;

/// <summary>
/// A store in an Amazon S3 bucket, or in an S3-compatible server (MinIO, Ceph, s3rver, ...), on the AWS SDK for .NET.
/// A key is an object key below <see cref="Prefix"/>. Reads of missing keys return null; ranges, suffix ranges
/// included, are sent to S3 as they are; listing pages through every result, with a delimiter for one folder level.
/// </summary>
/// <remarks>
/// <para>Open one from <c>s3://bucket/path</c> or an https S3 address with <see cref="FromUrl"/> (or through
/// <c>ZarrGroup.OpenAsync(url)</c>, which finds this package by itself). <see cref="S3StoreOptions"/> says how the
/// endpoint, region and credentials are found; with no credentials anywhere the store reads anonymously, as public
/// datasets need.</para>
/// <para>Errors: 404 is null; with anonymous access a 403 for a key is null too (<see cref="S3StoreOptions.TreatForbiddenAsMissing"/>);
/// everything else is a <see cref="StoreException"/> with the status, transient for throttling, 5xx, timeouts and broken or
/// short bodies. The SDK's own retries are off by default: retrying is the store middleware's job.</para>
/// </remarks>
public sealed class S3Store : IAsyncStore, IDirectoryListingStore, IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly S3ClientSettings _settings;
    private readonly IAmazonS3? _givenClient;
    private readonly object _lock = new();
    private Task<Connection>? _connection;
    private bool _disposed;

    /// <summary>The client, the region it talks to and whether it signs.</summary>
    private sealed record Connection(IAmazonS3 Client, string Region, bool Anonymous, AWSCredentials Credentials, bool Owned);

    /// <summary>A store at <paramref name="prefix"/> in <paramref name="bucket"/>.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">The key prefix of the store root ("" for the bucket root).</param>
    /// <param name="options">Options; null for defaults (endpoint, region and credentials from the environment).</param>
    public S3Store(string bucket, string prefix = "", S3StoreOptions? options = null)
        : this(new S3Address(CheckBucket(bucket), StoreKeys.NormalizePath(prefix)), options, fromAwsHost: false)
    {
    }

    /// <summary>A store at <paramref name="address"/>.</summary>
    /// <param name="address">The bucket, prefix and (optionally) region.</param>
    /// <param name="options">Options; null for defaults.</param>
    public S3Store(S3Address address, S3StoreOptions? options = null)
        : this(address, options, fromAwsHost: false)
    {
    }

    /// <summary>A store that uses <paramref name="client"/> as it is configured (no region discovery, no redirects followed).</summary>
    /// <param name="client">The SDK client; the caller keeps ownership.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">The key prefix of the store root.</param>
    /// <param name="options">Options: <see cref="StoreOpenOptions.Anonymous"/> should say whether the client signs (it decides what a 403 means).</param>
    public S3Store(IAmazonS3 client, string bucket, string prefix = "", S3StoreOptions? options = null)
        : this(new S3Address(CheckBucket(bucket), StoreKeys.NormalizePath(prefix)), options, fromAwsHost: false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _givenClient = client;
    }

    private S3Store(S3Address address, S3StoreOptions? options, bool fromAwsHost)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options = options ?? new S3StoreOptions();
        _options.Validate();
        Address = address;
        _settings = S3ClientSettings.Resolve(_options, address, fromAwsHost, Environment.GetEnvironmentVariable, S3ClientSettings.ProfileRegion);
    }

    private static string CheckBucket(string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        if (bucket.Contains('/')) throw new ArgumentException($"'{bucket}' is not a bucket name (it contains '/'): pass the path as the prefix.", nameof(bucket));
        return bucket;
    }

    /// <summary>Opens the store an <c>s3://bucket/path</c> URL or an https S3 address names.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <exception cref="ArgumentException">Not an S3 address.</exception>
    public static S3Store FromUrl(string url, S3StoreOptions? options = null)
    {
        var address = S3Address.Parse(url);
        var fromAwsHost = !url.StartsWith("s3", StringComparison.OrdinalIgnoreCase);
        return new S3Store(address, options, fromAwsHost);
    }

    /// <summary>The bucket, prefix and the region the address named.</summary>
    public S3Address Address { get; }

    /// <summary>The bucket.</summary>
    public string Bucket => Address.Bucket;

    /// <summary>The key prefix of the store root inside the bucket ("" for the bucket root).</summary>
    public string Prefix => Address.Prefix;

    /// <summary>True when writes are refused.</summary>
    public bool ReadOnly => _options.ReadOnly;

    /// <summary>The endpoint of an S3-compatible server, or null for Amazon S3.</summary>
    public Uri? Endpoint => _settings.Endpoint;

    /// <inheritdoc />
    public StoreCapabilities Capabilities => ReadOnly ? StoreCapabilities.All & ~StoreCapabilities.Write : StoreCapabilities.All;

    /// <summary>The region requests go to (found on first use when it has to be discovered).</summary>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    public async ValueTask<string> GetRegionAsync(CancellationToken cancellationToken = default)
        => (await ConnectForKeyAsync("", cancellationToken).ConfigureAwait(false)).Region;

    /// <summary>True when requests are anonymous (asked for, or no credentials were found).</summary>
    /// <param name="cancellationToken">Cancels the credential lookup.</param>
    public async ValueTask<bool> IsAnonymousAsync(CancellationToken cancellationToken = default)
        => (await ConnectForKeyAsync("", cancellationToken).ConfigureAwait(false)).Anonymous;

    // ------------------------------------------------------------------ connection

    /// <summary>The store cannot be set up (credentials, profile): reported as a <see cref="StoreException"/> for the key at hand.</summary>
    private sealed class SetupException(string message) : Exception(message);

    private async Task<Connection> ConnectForKeyAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SetupException e)
        {
            throw new StoreException(key, S3Errors.Backend, e.Message);
        }
    }

    private Task<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var task = _connection;
        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            lock (_lock)
            {
                task = _connection;
                if (task is null || task.IsFaulted || task.IsCanceled) _connection = task = CreateConnectionAsync();
            }
        }
        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }

    private async Task<Connection> CreateConnectionAsync()
    {
        if (_givenClient is not null)
            return new Connection(_givenClient, _givenClient.Config.AuthenticationRegion ?? _givenClient.Config.RegionEndpoint?.SystemName ?? "", _options.Anonymous, new AnonymousAWSCredentials(), Owned: false);
        var region = _settings.Region;
        var (credentials, anonymous) = await ResolveCredentialsAsync(BuildConfig(region ?? S3ClientSettings.FallbackRegion)).ConfigureAwait(false);
        if (region is null)
        {
            var config = BuildConfig(S3ClientSettings.FallbackRegion);
            region = await S3RegionDiscovery.DiscoverAsync(DiscoveryClient(config), Bucket, china: false, CancellationToken.None).ConfigureAwait(false)
                ?? S3ClientSettings.FallbackRegion;
        }
        return new Connection(new AmazonS3Client(credentials, BuildConfig(region)), region, anonymous, credentials, Owned: true);
    }

    private static HttpClient DiscoveryClient(AmazonS3Config config)
        => config.HttpClientFactory?.CreateHttpClient(config) ?? S3RegionDiscovery.DefaultHttpClient;

    private AmazonS3Config BuildConfig(string region)
    {
        var config = new AmazonS3Config
        {
            MaxErrorRetry = _options.MaxErrorRetry,
            // The SDK also retries "stale connection" errors (resets, broken pipes) outside MaxErrorRetry, 10 times by
            // default: those are the retry middleware's too, with backoff and a total timeout.
            MaxStaleConnectionRetries = _options.MaxErrorRetry,
            ForcePathStyle = _settings.ForcePathStyle,
            // The endpoint was chosen by S3ClientSettings (options, then AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL); the SDK must not pick another.
            IgnoreConfiguredEndpointUrls = true,
        };
        if (_settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
            // S3-compatible servers store aws-chunked framing and trailing checksums as data, or reject them: send plain bodies.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        _options.ConfigureClient?.Invoke(config);
        return config;
    }

    private async Task<(AWSCredentials Credentials, bool Anonymous)> ResolveCredentialsAsync(AmazonS3Config config)
    {
        if (_options.Anonymous) return (new AnonymousAWSCredentials(), true);
        if (_options.Credentials is { } given) return (given, given is AnonymousAWSCredentials);
        if (_options.AccessKeyId is { } id && _options.SecretAccessKey is { } secret)
            return (_options.SessionToken is { Length: > 0 } token ? new SessionAWSCredentials(id, secret, token) : new BasicAWSCredentials(id, secret), false);
        if (_settings.Profile is { } profile)
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)) return (fromProfile, false);
            throw new SetupException($"the AWS profile '{profile}' was not found in the shared config or credentials files");
        }
        string reason;
        try
        {
            var chain = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(config).ConfigureAwait(false);
            if (chain is not null) return (chain, chain is AnonymousAWSCredentials);
            reason = "the chain gave none";
        }
        catch (AmazonClientException e)
        {
            reason = e.Message;
        }
        // Nothing in the chain: public data is read anonymously, unless that is turned off.
        if (!_options.AnonymousWhenNoCredentials)
            throw new SetupException($"no AWS credentials were found (environment, profile, web identity, container or instance role) and AnonymousWhenNoCredentials is off: {S3Errors.Redact(reason, [])}");
        return (new AnonymousAWSCredentials(), true);
    }

    /// <summary>Switches to <paramref name="region"/> after S3 said the bucket is there.</summary>
    private Connection SwitchRegion(Connection old, string region)
    {
        lock (_lock)
        {
            if (_connection is { IsCompletedSuccessfully: true } current && current.Result.Region == region) return current.Result;
            var next = old with { Client = new AmazonS3Client(old.Credentials, BuildConfig(region)), Region = region };
            _connection = Task.FromResult(next);
            // The old client may still serve requests in flight; it is left to the garbage collector.
            return next;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/>; when S3 answers that the bucket is in another region (Amazon S3 only), asks S3 for
    /// the bucket's region (the SDK does not hand out the answer's x-amz-bucket-region header) and runs it once more there.
    /// </summary>
    private async Task<(T Result, Connection Connection)> ExecuteAsync<T>(string key, Func<IAmazonS3, Task<T>> call, CancellationToken cancellationToken)
    {
        var connection = await ConnectForKeyAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await call(connection.Client).ConfigureAwait(false), connection);
        }
        catch (Exception e) when (_givenClient is null && !_settings.IsCustomEndpoint && S3Errors.IsWrongRegion(e) && !cancellationToken.IsCancellationRequested)
        {
            var region = await S3RegionDiscovery.DiscoverAsync(DiscoveryClient(BuildConfig(connection.Region)), Bucket, china: false, cancellationToken, fresh: true).ConfigureAwait(false);
            if (string.IsNullOrEmpty(region) || region == connection.Region) throw;
            connection = SwitchRegion(connection, region);
            return (await call(connection.Client).ConfigureAwait(false), connection);
        }
    }

    private IEnumerable<string?> Secrets(Connection? connection)
    {
        yield return _options.SecretAccessKey;
        yield return _options.SessionToken;
        yield return _options.AccessKeyId;
        if (connection is null || connection.Anonymous) yield break;
        ImmutableCredentials? c = null;
        try { c = connection.Credentials.GetCredentials(); }
        catch (AmazonClientException) { /* credentials that cannot be read now cannot leak either */ }
        if (c is null) yield break;
        yield return c.SecretKey;
        yield return c.Token;
        yield return c.AccessKey;
    }

    private StoreException Fail(Exception e, string key, string operation, Connection? connection, CancellationToken cancellationToken)
        => S3Errors.ToStoreException(e, key, operation, connection?.Anonymous ?? _options.Anonymous, Secrets(connection), cancellationToken);

    /// <summary>
    /// A token that also ends after <see cref="S3StoreOptions.RequestTimeout"/>, covering the request and the reading of
    /// its body; null when there is no timeout (then <paramref name="token"/> is the caller's).
    /// </summary>
    private CancellationTokenSource? WithTimeout(CancellationToken cancellationToken, out CancellationToken token)
    {
        if (_options.RequestTimeout is not { } timeout)
        {
            token = cancellationToken;
            return null;
        }
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        token = cts.Token;
        return cts;
    }

    private static bool IsCallerCancellation(Exception e, CancellationToken cancellationToken)
        => e is OperationCanceledException && cancellationToken.IsCancellationRequested;

    /// <summary>True when a failed read means the key is absent (404; 403 for anonymous reads when so configured).</summary>
    private bool MeansMissing(Exception e) => S3Errors.IsMissing(e, CurrentConnection?.Anonymous ?? _options.Anonymous, _options.TreatForbiddenAsMissing);

    private Connection? CurrentConnection => _connection is { IsCompletedSuccessfully: true } t ? t.Result : null;

    // ------------------------------------------------------------------ reads

    /// <inheritdoc />
    public async ValueTask<StoreValue?> GetAsync(string key, ByteRange range = default, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        // An empty bounded or suffix range cannot be said in a Range header: ask for the object's size instead.
        if ((range.Kind == ByteRangeKind.Bounded || range.Kind == ByteRangeKind.Suffix) && range.Length == 0)
            return await GetEmptyRangeAsync(key, range, cancellationToken).ConfigureAwait(false);
        var header = range.Kind == ByteRangeKind.FromOffset && range.Offset == 0 ? null : range.ToHttpHeaderValue();
        var request = new GetObjectRequest
        {
            BucketName = Bucket,
            Key = Address.ObjectKey(key),
            ByteRange = header is null ? null : new Amazon.S3.Model.ByteRange(header),
        };
        if (_options.RequesterPays) request.RequestPayer = RequestPayer.Requester;
        using var timeout = WithTimeout(cancellationToken, out var token);
        GetObjectResponse response;
        Connection connection;
        try
        {
            (response, connection) = await ExecuteAsync(key, c => c.GetObjectAsync(request, token), token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            if (MeansMissing(e)) return null;
            // A suffix or open range of an empty object is unsatisfiable in HTTP, but is the empty value here.
            if (S3Errors.IsInvalidRange(e) && range.Kind is ByteRangeKind.Suffix or ByteRangeKind.FromOffset)
                return await GetEmptyRangeAsync(key, range, cancellationToken).ConfigureAwait(false);
            throw Fail(e, key, "GET", CurrentConnection, cancellationToken);
        }
        using (response)
        {
            return await ReadBodyAsync(response, key, range, header is not null, connection, token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Serves an empty range after a HEAD: the empty value when the range fits the object, else 416.</summary>
    private async ValueTask<StoreValue?> GetEmptyRangeAsync(string key, ByteRange range, CancellationToken cancellationToken)
    {
        var request = new GetObjectMetadataRequest { BucketName = Bucket, Key = Address.ObjectKey(key) };
        if (_options.RequesterPays) request.RequestPayer = RequestPayer.Requester;
        using var timeout = WithTimeout(cancellationToken, out var token);
        GetObjectMetadataResponse head;
        try
        {
            (head, _) = await ExecuteAsync(key, c => c.GetObjectMetadataAsync(request, token), token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            if (MeansMissing(e)) return null;
            throw Fail(e, key, "HEAD", CurrentConnection, cancellationToken);
        }
        long size = head.ContentLength;
        if (!range.TryResolve(size, out _, out var length) || length != 0)
            throw new StoreException(key, S3Errors.Backend, $"range {range} starts past the end of the value ({size.ToString(CultureInfo.InvariantCulture)} bytes)", 416);
        return new StoreValue(ReadOnlyMemory<byte>.Empty, head.ETag, size);
    }

    /// <summary>Reads the body into a pooled buffer, checking its length; <paramref name="token"/> may end by the request timeout, <paramref name="cancellationToken"/> is the caller's.</summary>
    private async ValueTask<StoreValue> ReadBodyAsync(GetObjectResponse response, string key, ByteRange range, bool ranged, Connection connection, CancellationToken token, CancellationToken cancellationToken)
    {
        long declared = response.ContentLength;
        if (declared < 0 || declared > Array.MaxLength)
            throw new StoreException(key, S3Errors.Backend, $"GET: the value is {declared.ToString(CultureInfo.InvariantCulture)} bytes, more than one buffer can hold; read it in ranges");
        var total = TotalLength(response.ContentRange) ?? (response.HttpStatusCode == HttpStatusCode.PartialContent ? null : declared);
        if (ranged && total == 0)
        {
            // A range of an empty object: S3 answers 416 (handled by the caller), but a server that answers 206 with
            // "bytes 0-0/0" has no body to send, whatever its Content-Length says.
            if (!range.TryResolve(0, out _, out _))
                throw new StoreException(key, S3Errors.Backend, $"range {range} starts past the end of the value (0 bytes)", 416);
            return new StoreValue(ReadOnlyMemory<byte>.Empty, response.ETag, 0);
        }
        var buffer = new PooledBuffer((int)declared);
        try
        {
            int read = 0;
            var stream = response.ResponseStream;
            while (read < declared)
            {
                int n = await stream.ReadAsync(buffer.Memory[read..], token).ConfigureAwait(false);
                if (n == 0) break;
                read += n;
            }
            if (read < declared)
                throw new StoreException(key, S3Errors.Backend, $"GET: the body ended after {read} of {declared.ToString(CultureInfo.InvariantCulture)} bytes", (int)response.HttpStatusCode, isTransient: true);
            // One more read: the SDK checks a response checksum at the end of the stream, and a longer body is as wrong as a shorter one.
            var probe = new byte[1];
            if (await stream.ReadAsync(probe, token).ConfigureAwait(false) != 0)
                throw new StoreException(key, S3Errors.Backend, $"GET: the body is longer than its Content-Length ({declared.ToString(CultureInfo.InvariantCulture)} bytes)", (int)response.HttpStatusCode, isTransient: true);
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            buffer.Dispose();
            // A body that breaks off, or whose checksum does not match, is worth another try whatever the SDK threw.
            var failure = Fail(e, key, "GET (reading the body)", connection, cancellationToken);
            throw failure.IsTransient ? failure : new StoreException(key, S3Errors.Backend, failure.Message, failure.Status, isTransient: true, failure.InnerException);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        if (ranged && response.HttpStatusCode == HttpStatusCode.OK)
        {
            // The server ignored the Range header and sent everything: cut the range out here.
            using (buffer)
            {
                if (!range.TryResolve(declared, out var start, out var length))
                    throw new StoreException(key, S3Errors.Backend, $"range {range} starts past the end of the value ({declared.ToString(CultureInfo.InvariantCulture)} bytes)", 416);
                return new StoreValue(PooledBuffer.CopyOf(buffer.Span.Slice((int)start, (int)length)), (int)length, response.ETag, declared);
            }
        }
        return new StoreValue(buffer, (int)declared, response.ETag, total);
    }

    /// <summary>The size of the whole object from a <c>Content-Range</c> value (<c>bytes 0-9/100</c>), or null.</summary>
    internal static long? TotalLength(string? contentRange)
    {
        if (string.IsNullOrEmpty(contentRange)) return null;
        var slash = contentRange.LastIndexOf('/');
        return slash >= 0 && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoreValue?>> GetRangesAsync(string key, IReadOnlyList<ByteRange> ranges, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        return StoreExtensions.GetRangesCoalescedAsync(this, key, ranges, _options.Coalescing, cancellationToken);
    }

    // ------------------------------------------------------------------ writes

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        if (ReadOnly) throw new StoreException(key, S3Errors.Backend, "the store is read-only");
        // The SDK reads the stream during the call, so the caller's buffer is copied to S3 before this returns.
        var stream = MemoryMarshal.TryGetArray(value, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(value.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = Address.ObjectKey(key),
            InputStream = stream,
            AutoCloseStream = true,
            // Plain bodies: S3-compatible servers store aws-chunked framing as data (s3rver does), and nothing is gained
            // by streaming a body that is already in memory.
            UseChunkEncoding = false,
        };
        if (_options.RequesterPays) request.RequestPayer = RequestPayer.Requester;
        using var timeout = WithTimeout(cancellationToken, out var token);
        try
        {
            await ExecuteAsync(key, async c =>
            {
                stream.Position = 0; // a second attempt after a region redirect sends the body again
                return await c.PutObjectAsync(request, token).ConfigureAwait(false);
            }, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            throw Fail(e, key, "PUT", CurrentConnection, cancellationToken);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.Validate(key);
        if (ReadOnly) throw new StoreException(key, S3Errors.Backend, "the store is read-only");
        var request = new DeleteObjectRequest { BucketName = Bucket, Key = Address.ObjectKey(key) };
        if (_options.RequesterPays) request.RequestPayer = RequestPayer.Requester;
        using var timeout = WithTimeout(cancellationToken, out var token);
        try
        {
            await ExecuteAsync(key, c => c.DeleteObjectAsync(request, token), token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            // deleting a missing key is not an error
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            throw Fail(e, key, "DELETE", CurrentConnection, cancellationToken);
        }
    }

    // ------------------------------------------------------------------ listing

    /// <summary>One page of a listing: object keys and common prefixes, both as full S3 keys.</summary>
    private async Task<ListObjectsV2Response> ListPageAsync(string s3Prefix, string? delimiter, string? continuationToken, string keyForErrors, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = Bucket,
            Prefix = s3Prefix.Length == 0 ? null : s3Prefix,
            Delimiter = delimiter,
            ContinuationToken = continuationToken,
            MaxKeys = _options.ListPageSize,
        };
        if (_options.RequesterPays) request.RequestPayer = RequestPayer.Requester;
        using var timeout = WithTimeout(cancellationToken, out var token);
        try
        {
            return (await ExecuteAsync(keyForErrors, c => c.ListObjectsV2Async(request, token), token).ConfigureAwait(false)).Result;
        }
        catch (Exception e) when (e is not StoreException && !IsCallerCancellation(e, cancellationToken))
        {
            throw Fail(e, keyForErrors, "LIST", CurrentConnection, cancellationToken);
        }
    }

    private string RootPrefix => Prefix.Length == 0 ? "" : Prefix + "/";

    /// <summary>The store key of an S3 key below the root, or null for keys a store cannot have (folder markers, keys outside the root).</summary>
    private string? StoreKeyOf(string s3Key)
    {
        var root = RootPrefix;
        if (!s3Key.StartsWith(root, StringComparison.Ordinal)) return null;
        var key = s3Key[root.Length..];
        return key.Length == 0 || key.EndsWith('/') ? null : key;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var s3Prefix = RootPrefix + prefix;
        string? token = null;
        do
        {
            var page = await ListPageAsync(s3Prefix, null, token, prefix, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                if (StoreKeyOf(o.Key) is { } key) yield return key;
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
    }

    /// <inheritdoc />
    public async ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<string> Folders)> ListDirAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = (prefix ?? "").Trim('/');
        if (prefix.Length > 0) StoreKeys.Validate(prefix);
        var s3Prefix = RootPrefix + (prefix.Length == 0 ? "" : prefix + "/");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ListPageAsync(s3Prefix, "/", token, prefix, cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                var name = o.Key[s3Prefix.Length..];
                if (name.Length > 0 && !name.Contains('/')) keys.Add(name);
            }
            foreach (var p in page.CommonPrefixes ?? [])
            {
                var name = p[s3Prefix.Length..].TrimEnd('/');
                if (name.Length > 0 && !name.Contains('/')) folders.Add(name);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
        return (keys.ToList(), folders.ToList());
    }

    // ------------------------------------------------------------------ the rest

    /// <summary>Disposes the SDK client the store made (a client given to it stays the caller's).</summary>
    public void Dispose()
    {
        _disposed = true;
        if (_connection is { IsCompletedSuccessfully: true } t && t.Result.Owned) t.Result.Client.Dispose();
    }

    /// <summary><c>S3Store(s3://bucket/prefix)</c>, with the endpoint of an S3-compatible server; never a credential.</summary>
    public override string ToString()
        => _settings.Endpoint is null ? $"S3Store({Address})" : $"S3Store({Address} at {_settings.EndpointForDisplay})";
}
