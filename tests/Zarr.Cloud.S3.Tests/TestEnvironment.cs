using System.Runtime.CompilerServices;

namespace Zarr.Cloud.S3.Tests;

/// <summary>
/// Makes the test process hermetic before any test runs: no AWS settings of the machine leak in, the SDK's credential
/// chain never asks the EC2 instance metadata service (an address outside this machine), and the shared AWS files are
/// ours, with one profile <see cref="Profile"/> (s3rver's keys, region <see cref="ProfileRegion"/>) and no "default".
/// </summary>
internal static class TestEnvironment
{
    public const string Profile = "zarrtest";
    public const string ProfileRegion = "eu-central-1";

    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "zarrcloud-s3-tests-aws-" + Environment.ProcessId);

    [ModuleInitializer]
    internal static void Initialize()
    {
        foreach (var name in new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        })
        {
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Directory.CreateDirectory(Folder);
        var credentials = Path.Combine(Folder, "credentials");
        var config = Path.Combine(Folder, "config");
        File.WriteAllText(credentials, $"[{Profile}]\naws_access_key_id = {S3rverFixture.AccessKey}\naws_secret_access_key = {S3rverFixture.SecretKey}\n");
        File.WriteAllText(config, $"[profile {Profile}]\nregion = {ProfileRegion}\n");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", credentials);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", config);
    }
}
