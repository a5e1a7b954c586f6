using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Zarr.Cloud.Azure;

/// <summary>How a URL's account is reached and authenticated, chosen from the options, the URL and the environment (see <see cref="AzureBlobStoreOptions"/>).</summary>
internal sealed class AzureConnection
{
    /// <summary>Which credential was chosen (for tests and messages; never the secret itself).</summary>
    public enum CredentialKind { ConnectionString, Anonymous, SharedKey, Sas, Token, DefaultAzureCredential }

    private AzureConnection(CredentialKind kind, Uri? serviceUri, string? connectionString, string? accountName, string? accountKey, string? sas, TokenCredential? token)
    {
        Kind = kind;
        ServiceUri = serviceUri;
        ConnectionString = connectionString;
        AccountName = accountName;
        AccountKey = accountKey;
        Sas = sas;
        Token = token;
        Secrets = AzureBlobStore.SecretsOfConnection(accountKey ?? ConnectionStringValue(connectionString, "AccountKey"), sas ?? ConnectionStringValue(connectionString, "SharedAccessSignature"));
    }

    public CredentialKind Kind { get; }
    public Uri? ServiceUri { get; }
    private string? ConnectionString { get; }
    public string? AccountName { get; }
    private string? AccountKey { get; }
    private string? Sas { get; }
    private TokenCredential? Token { get; }

    /// <summary>The strings no message may contain.</summary>
    public string[] Secrets { get; }

    public static AzureConnection Choose(AzureBlobAddress address, AzureBlobStoreOptions o, Func<string, string?> environment)
    {
        static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

        // An endpoint without a scheme means https (plain http only when written out).
        Uri? explicitService = o.ServiceUri ?? (NonEmpty(o.Endpoint) is { } ep ? new Uri(ep.Contains("://", StringComparison.Ordinal) ? ep : "https://" + ep) : null);
        if (NonEmpty(o.ConnectionString) is { } cs)
            return new AzureConnection(CredentialKind.ConnectionString, explicitService, cs, ConnectionStringValue(cs, "AccountName"), null, null, null);

        var account = address.AccountName ?? NonEmpty(o.AccountName) ?? NonEmpty(environment("AZURE_STORAGE_ACCOUNT_NAME"));
        // The environment's connection string serves URLs of its own account, or URLs that name none.
        if (!o.Anonymous && NonEmpty(environment("AZURE_STORAGE_CONNECTION_STRING")) is { } envCs)
        {
            var csAccount = ConnectionStringValue(envCs, "AccountName");
            if ((address.AccountName is null && NonEmpty(o.AccountName) is null) || string.Equals(csAccount, account, StringComparison.OrdinalIgnoreCase))
                return new AzureConnection(CredentialKind.ConnectionString, explicitService, envCs, csAccount, null, null, null);
        }

        var service = explicitService ?? address.ServiceUri
            ?? (account is null
                ? throw new ArgumentException($"The URL '{address}' names no storage account: set AzureBlobStoreOptions.AccountName (or AZURE_STORAGE_ACCOUNT_NAME), a connection string (or AZURE_STORAGE_CONNECTION_STRING), or use abfss://container@account.dfs.core.windows.net/path.")
                : new Uri($"https://{account}.blob.core.windows.net"));
        if (o.Anonymous) return new AzureConnection(CredentialKind.Anonymous, service, null, account, null, null, null);
        if (NonEmpty(o.SasToken) is { } sas) return new AzureConnection(CredentialKind.Sas, service, null, account, null, sas.TrimStart('?'), null);
        if (NonEmpty(o.AccountKey) is { } key) return SharedKey(service, account, key);
        if (o.Credential is not null) return new AzureConnection(CredentialKind.Token, service, null, account, null, null, o.Credential);
        if (address.SasToken is { } urlSas) return new AzureConnection(CredentialKind.Sas, service, null, account, null, urlSas, null);
        if (NonEmpty(environment("AZURE_STORAGE_SAS_TOKEN")) is { } envSas) return new AzureConnection(CredentialKind.Sas, service, null, account, null, envSas.TrimStart('?'), null);
        if (NonEmpty(environment("AZURE_STORAGE_ACCOUNT_KEY")) is { } envKey) return SharedKey(service, account, envKey);
        return o.UseDefaultCredential
            ? new AzureConnection(CredentialKind.DefaultAzureCredential, service, null, account, null, null, null)
            : new AzureConnection(CredentialKind.Anonymous, service, null, account, null, null, null);
    }

    private static AzureConnection SharedKey(Uri service, string? account, string key)
        => new(CredentialKind.SharedKey, service, null,
            account ?? throw new ArgumentException("An account key needs the account's name (AzureBlobStoreOptions.AccountName or the URL's host)."),
            key, null, null);

    /// <summary>The value of <paramref name="name"/> in a connection string (<c>Name=value;...</c>), or null.</summary>
    internal static string? ConnectionStringValue(string? connectionString, string name)
    {
        if (connectionString is null) return null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part.AsSpan(0, eq).Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return part[(eq + 1)..].Trim();
        }
        return null;
    }

    public BlobContainerClient CreateContainerClient(string container, AzureBlobStoreOptions o)
    {
        var options = o.ServiceVersion is { } v ? new BlobClientOptions(v) : new BlobClientOptions();
        options.Retry.MaxRetries = o.MaxRetries;
        if (o.NetworkTimeout is { } timeout) options.Retry.NetworkTimeout = timeout;
        options.AddPolicy(HeadErrorPolicy.Instance, HttpPipelinePosition.PerRetry);
        o.ConfigureClientOptions?.Invoke(options);
        BlobServiceClient service;
        if (ConnectionString is not null)
        {
            service = new BlobServiceClient(ConnectionString, options);
            if (ServiceUri is not null)
            {
                // An explicit endpoint with a connection string's credential: keep the credential, move the endpoint.
                var key = ConnectionStringValue(ConnectionString, "AccountKey");
                var sas = ConnectionStringValue(ConnectionString, "SharedAccessSignature");
                service = key is not null && AccountName is not null ? new BlobServiceClient(ServiceUri, new StorageSharedKeyCredential(AccountName, key), options)
                    : sas is not null ? new BlobServiceClient(ServiceUri, new AzureSasCredential(sas), options)
                    : new BlobServiceClient(ServiceUri, options);
            }
        }
        else
        {
            var uri = ServiceUri!;
            service = Kind switch
            {
                CredentialKind.SharedKey => new BlobServiceClient(uri, new StorageSharedKeyCredential(AccountName!, AccountKey!), options),
                CredentialKind.Sas => new BlobServiceClient(uri, new AzureSasCredential(Sas!), options),
                CredentialKind.Token => new BlobServiceClient(uri, Token!, options),
                CredentialKind.DefaultAzureCredential => new BlobServiceClient(uri, new DefaultAzureCredential(), options),
                _ => new BlobServiceClient(uri, options),
            };
        }
        return service.GetBlobContainerClient(container);
    }
}

/// <summary>
/// Drops the (empty) body of a HEAD error answer before the SDK reads it: an answer with an XML content type but no
/// body makes the SDK throw an XmlException instead of a RequestFailedException, losing the status (a 404 would no
/// longer read as missing).
/// </summary>
internal sealed class HeadErrorPolicy : HttpPipelineSynchronousPolicy
{
    public static HeadErrorPolicy Instance { get; } = new();

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Head && message.Response.Status >= 400) message.Response.ContentStream = null;
    }
}
