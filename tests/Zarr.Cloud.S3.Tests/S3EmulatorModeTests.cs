using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.S3.Tests;

/// <summary>What the S3 fixture chooses by <see cref="EmulatorMode"/>: credentials, and which tests only s3rver can run.</summary>
public sealed class S3EmulatorModeTests
{
    [Fact]
    public void S3rverIsSignedForWithItsOwnKeysAndMinioWithItsRootUser()
    {
        Assert.Equal(("S3RVER", "S3RVER"), S3rverFixture.CredentialsFor(EmulatorMode.Process));
        Assert.Equal((ContainerSpec.MinioUser, ContainerSpec.MinioPassword), S3rverFixture.CredentialsFor(EmulatorMode.Docker));
        // MinIO starts only with the user and password it is given, and refuses a password under 8 characters.
        Assert.Equal(ContainerSpec.MinioUser, ContainerSpec.Minio.Environment!["MINIO_ROOT_USER"]);
        Assert.Equal(ContainerSpec.MinioPassword, ContainerSpec.Minio.Environment!["MINIO_ROOT_PASSWORD"]);
        Assert.True(ContainerSpec.MinioPassword.Length >= 8);
    }

    [Fact]
    public void TheRunsCredentialsAreThoseOfItsMode()
    {
        Assert.Equal(S3rverFixture.CredentialsFor(EmulatorBackend.Mode), (S3rverFixture.AccessKey, S3rverFixture.SecretKey));
    }

    [Fact]
    public void S3rverOnlyTestsAreNeverSkippedInProcessMode()
        => Assert.Null(S3rverFixture.S3rverOnlySkipReason(EmulatorMode.Process, S3rverFixture.AnonymousAccess));

    [Fact]
    public void S3rverOnlyTestsSkipInDockerModeSayingWhatTheyNeedAndHowToRunThem()
    {
        var reason = S3rverFixture.S3rverOnlySkipReason(EmulatorMode.Docker, "its data folder");
        Assert.NotNull(reason);
        Assert.Contains("its data folder", reason);
        Assert.Contains("MinIO", reason);
        Assert.Contains($"{EmulatorBackend.Variable}=process", reason);
    }
}
