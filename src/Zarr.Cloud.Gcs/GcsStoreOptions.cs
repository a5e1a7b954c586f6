using Google.Apis.Auth.OAuth2;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Gcs;

/// <summary>
/// How a <see cref="GcsStore"/> reaches Cloud Storage and authenticates. Plain settable properties, bindable from
/// configuration; pass an instance as <c>ZarrOpenOptions.Store</c> when opening a <c>gs://</c> or
/// <c>https://storage.googleapis.com/</c> URL.
/// </summary>
/// <remarks>
/// The credential is chosen in this order: <see cref="StoreOpenOptions.Anonymous"/> (no credential, for public buckets);
/// <see cref="AccessToken"/>; <see cref="Credential"/>; <see cref="CredentialsFile"/>; no credential when
/// <c>STORAGE_EMULATOR_HOST</c> is set (as Google's client libraries do); else Application Default Credentials
/// (<c>GOOGLE_APPLICATION_CREDENTIALS</c>, the gcloud user credentials, the metadata server), and anonymous when there
/// are none, as gcsfs does for public data. Bearer tokens never appear in a message or in <c>ToString()</c>.
/// </remarks>
public class GcsStoreOptions : StoreOpenOptions
{
    /// <summary>A service account key or user credentials file (JSON), instead of Application Default Credentials.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>An OAuth2 access token obtained elsewhere (it is not refreshed).</summary>
    public string? AccessToken { get; set; }

    /// <summary>A credential of the caller's choice (workload identity federation, impersonation, ...).</summary>
    public GoogleCredential? Credential { get; set; }

    /// <summary>
    /// The API endpoint, e.g. an emulator's <c>http://127.0.0.1:9199</c>. When not set, <see cref="StoreOpenOptions.Endpoint"/>
    /// is used (https when it has no scheme), then <c>STORAGE_EMULATOR_HOST</c> (http when it has no scheme), then
    /// <c>https://storage.googleapis.com</c>.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The project billed for requests to a requester-pays bucket (the <c>userProject</c> parameter).</summary>
    public string? UserProject { get; set; }

    /// <summary>How many names one listing request asks for (the service's default, 1000, when null).</summary>
    public int? ListPageSize { get; set; }

    /// <summary>How long one request may take before it fails as transient (100 s when null).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The client that sends the requests (e.g. from <c>IHttpClientFactory</c>); a shared one when null. Its own timeout should be infinite: <see cref="Timeout"/> applies per request.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>A copy of <paramref name="options"/> as GCS options: itself when it already is, else its common settings.</summary>
    /// <param name="options">Options for any store; null for defaults.</param>
    public static GcsStoreOptions From(StoreOpenOptions? options) => options switch
    {
        GcsStoreOptions g => g,
        null => new GcsStoreOptions(),
        _ => new GcsStoreOptions { ReadOnly = options.ReadOnly, Anonymous = options.Anonymous, Endpoint = options.Endpoint, Region = options.Region, HttpClientFactory = options.HttpClientFactory },
    };
}
