using Amazon.Runtime.CredentialManagement;

namespace Zarr.Cloud.S3;

/// <summary>
/// The endpoint, region and addressing a store uses, worked out from its options, its address and the environment
/// (a pure function of them, so the rules are tested without touching the process environment).
/// </summary>
/// <param name="Endpoint">A custom endpoint (S3-compatible server), or null for Amazon S3.</param>
/// <param name="Region">The region, or null when it is to be discovered.</param>
/// <param name="ForcePathStyle">Path-style addressing.</param>
/// <param name="Profile">The profile name for credentials, or null for the SDK's default chain.</param>
internal sealed record S3ClientSettings(Uri? Endpoint, string? Region, bool ForcePathStyle, string? Profile)
{
    /// <summary>The region when nothing names one and discovery is off or fails.</summary>
    public const string FallbackRegion = "us-east-1";

    /// <summary>True for a custom endpoint (anything but Amazon S3 itself).</summary>
    public bool IsCustomEndpoint => Endpoint is not null;

    /// <summary>Resolves the settings.</summary>
    /// <param name="options">The store options.</param>
    /// <param name="address">The address (its region, if it names one).</param>
    /// <param name="fromAwsHost">True when the address was an https URL of an Amazon S3 host: the URL is the endpoint, the environment's endpoint does not apply.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="profileRegion">The region of a named profile, or null.</param>
    public static S3ClientSettings Resolve(S3StoreOptions options, S3Address address, bool fromAwsHost, Func<string, string?> environment, Func<string, string?> profileRegion)
    {
        string? endpoint = options.Endpoint;
        if (endpoint is null && !fromAwsHost) endpoint = NonEmpty(environment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));
        Uri? endpointUri = null;
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri))
            throw new ArgumentException("The S3 endpoint (options or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL) must be an absolute URL such as http://127.0.0.1:9000.");
        var profileName = NonEmpty(options.Profile) ?? NonEmpty(environment("AWS_PROFILE"));
        var region = NonEmpty(options.Region)
            ?? address.Region
            ?? NonEmpty(environment("AWS_REGION"))
            ?? NonEmpty(environment("AWS_DEFAULT_REGION"))
            ?? NonEmpty(profileRegion(profileName ?? "default"));
        if (region is null && (endpointUri is not null || !options.DiscoverRegion)) region = FallbackRegion;
        return new S3ClientSettings(endpointUri, region, options.ForcePathStyle ?? endpointUri is not null, NonEmpty(options.Profile));
    }

    /// <summary>The region of a profile in the shared AWS files, or null.</summary>
    /// <param name="profile">The profile name.</param>
    public static string? ProfileRegion(string profile)
    {
        try
        {
            return new CredentialProfileStoreChain().TryGetProfile(profile, out var p) ? p.Region?.SystemName : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            return null; // an unreadable config file names no region; the SDK reports it when it reads credentials
        }
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The endpoint for messages: scheme, host and port, never user info or a query.</summary>
    public string EndpointForDisplay => Endpoint is null ? "" : $"{Endpoint.Scheme}://{Endpoint.Authority}";
}
