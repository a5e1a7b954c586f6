using Azure.Core;
using Azure.Storage.Blobs;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Azure;

/// <summary>
/// How an <see cref="AzureBlobStore"/> reaches its account and authenticates. Plain settable properties, bindable from
/// configuration; pass an instance as <c>ZarrOpenOptions.Store</c> when opening an <c>az://</c>, <c>abfs[s]://</c> or
/// <c>https://account.blob.core.windows.net</c> URL.
/// </summary>
/// <remarks>
/// The credential is chosen in this order: <see cref="ConnectionString"/>; <see cref="StoreOpenOptions.Anonymous"/>
/// (no credential, for public containers); <see cref="SasToken"/>, <see cref="AccountKey"/> or <see cref="Credential"/>;
/// a SAS in the URL's query; the environment (<c>AZURE_STORAGE_CONNECTION_STRING</c> when it is for the URL's account
/// or the URL names none, <c>AZURE_STORAGE_SAS_TOKEN</c>, <c>AZURE_STORAGE_ACCOUNT_KEY</c>); then
/// <c>DefaultAzureCredential</c> when <see cref="UseDefaultCredential"/> is true (the default), else anonymous.
/// Keys and SAS tokens never appear in a message or in <c>ToString()</c>.
/// </remarks>
public class AzureBlobStoreOptions : StoreOpenOptions
{
    /// <summary>A storage connection string (also the emulator's); takes precedence over every other setting but the URL's container and path.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The storage account, for <c>az://container/path</c> URLs (else <c>AZURE_STORAGE_ACCOUNT_NAME</c>).</summary>
    public string? AccountName { get; set; }

    /// <summary>The account's shared key (base64).</summary>
    public string? AccountKey { get; set; }

    /// <summary>A shared access signature, with or without the leading '?'.</summary>
    public string? SasToken { get; set; }

    /// <summary>A Microsoft Entra credential of the caller's choice (managed identity, workload identity, ...).</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>When no other credential is given, authenticate with <c>DefaultAzureCredential</c> (default true); false reads anonymously.</summary>
    public bool UseDefaultCredential { get; set; } = true;

    /// <summary>
    /// The blob service endpoint, e.g. <c>https://account.blob.core.windows.net</c> or an emulator's
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c>. When not set, <see cref="StoreOpenOptions.Endpoint"/> is used, then
    /// the URL's host, then <c>https://{AccountName}.blob.core.windows.net</c>.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The Azure SDK's own retries (default 0: the store stack has one retry layer, above the backend).</summary>
    public int MaxRetries { get; set; }

    /// <summary>How long one request may take before it fails as transient (the SDK's default when null).</summary>
    public TimeSpan? NetworkTimeout { get; set; }

    /// <summary>How many names one listing request asks for (the service's default, 5000, when null).</summary>
    public int? ListPageSize { get; set; }

    /// <summary>The REST API version to speak (the SDK's latest when null); older emulators need an older one.</summary>
    public BlobClientOptions.ServiceVersion? ServiceVersion { get; set; }

    /// <summary>Adjusts the SDK client options (transport, diagnostics, policies) after the store has set its own.</summary>
    public Action<BlobClientOptions>? ConfigureClientOptions { get; set; }

    /// <summary>A copy of <paramref name="options"/> as Azure options: itself when it already is, else its common settings.</summary>
    /// <param name="options">Options for any store; null for defaults.</param>
    public static AzureBlobStoreOptions From(StoreOpenOptions? options) => options switch
    {
        AzureBlobStoreOptions a => a,
        null => new AzureBlobStoreOptions(),
        _ => new AzureBlobStoreOptions { ReadOnly = options.ReadOnly, Anonymous = options.Anonymous, Endpoint = options.Endpoint, Region = options.Region },
    };
}
