using Google.Apis.Auth.OAuth2;

namespace Zarr.Cloud.Gcs;

/// <summary>Supplies the bearer token of each request (or none), chosen as <see cref="GcsStoreOptions"/> documents.</summary>
internal sealed class GcsAuthorization
{
    /// <summary>Which credential was chosen (for tests and messages; never the token itself).</summary>
    public enum CredentialKind { Anonymous, AccessToken, Credential, CredentialsFile, ApplicationDefault }

    private const string ReadWriteScope = "https://www.googleapis.com/auth/devstorage.read_write";
    private const string ReadOnlyScope = "https://www.googleapis.com/auth/devstorage.read_only";

    private readonly Lazy<Task<ITokenAccess?>> _credential;
    private readonly string? _staticToken;

    private GcsAuthorization(CredentialKind kind, string? staticToken, Func<Task<ITokenAccess?>>? load)
    {
        Kind = kind;
        _staticToken = staticToken;
        _credential = new Lazy<Task<ITokenAccess?>>(load ?? (() => Task.FromResult<ITokenAccess?>(null)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public CredentialKind Kind { get; }

    /// <summary>The last token handed out, so that a message can be checked for it.</summary>
    public string? LastToken { get; private set; }

    public static GcsAuthorization Choose(GcsStoreOptions o, Func<string, string?> environment)
    {
        var scope = o.ReadOnly ? ReadOnlyScope : ReadWriteScope;
        if (o.Anonymous) return new(CredentialKind.Anonymous, null, null);
        if (!string.IsNullOrWhiteSpace(o.AccessToken)) return new(CredentialKind.AccessToken, o.AccessToken.Trim(), null);
        if (o.Credential is { } given) return new(CredentialKind.Credential, null, () => Task.FromResult<ITokenAccess?>(Scoped(given, scope)));
        if (!string.IsNullOrWhiteSpace(o.CredentialsFile))
        {
            var path = o.CredentialsFile;
#pragma warning disable CS0618 // FromFileAsync reads either kind of file ADC reads (service account or user); the caller chose this file.
            return new(CredentialKind.CredentialsFile, null, async () => Scoped(await GoogleCredential.FromFileAsync(path, CancellationToken.None).ConfigureAwait(false), scope));
#pragma warning restore CS0618
        }
        if (!string.IsNullOrWhiteSpace(environment("STORAGE_EMULATOR_HOST"))) return new(CredentialKind.Anonymous, null, null);
        return new(CredentialKind.ApplicationDefault, null, async () =>
        {
            try
            {
                return Scoped(await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false), scope);
            }
            catch (InvalidOperationException)
            {
                // No Application Default Credentials on this machine: read as anonymous (public buckets), as gcsfs does.
                return null;
            }
        });
    }

    private static ITokenAccess Scoped(GoogleCredential credential, string scope)
        => credential.IsCreateScopedRequired ? credential.CreateScoped(scope) : credential;

    /// <summary>The token for the next request, or null for an anonymous one.</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_staticToken is not null) return LastToken = _staticToken;
        var credential = await _credential.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (credential is null) return null;
        return LastToken = await credential.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The strings no message may contain.</summary>
    public IEnumerable<string> Secrets => LastToken is { Length: > 0 } t ? [t] : [];
}
