using Zarr.Cloud.Tests.Support;

namespace Zarr.Cloud.Tests.Emulators;

/// <summary>
/// The decision between emulator processes and Testcontainers. The Docker branch itself (starting a container)
/// cannot run on a machine without a Docker engine; these tests cover the decision and the Docker probe.
/// </summary>
public sealed class EmulatorBackendTests
{
    /// <summary>A shell script standing in for the docker CLI.</summary>
    private static string FakeDocker(TempDirectory dir, string script)
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("uses a shell script as a fake docker");
        var fake = Path.Combine(dir.Path, "docker");
        File.WriteAllText(fake, $"#!/bin/sh\n{script}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return fake;
    }

    private static bool Never() => throw new InvalidOperationException("Docker must not be probed for an explicit choice");

    [Theory]
    [InlineData("process", EmulatorMode.Process)]
    [InlineData("PROCESS", EmulatorMode.Process)]
    [InlineData(" docker ", EmulatorMode.Docker)]
    [InlineData("Docker", EmulatorMode.Docker)]
    public void AnExplicitChoiceWinsWithoutProbingDocker(string setting, EmulatorMode expected)
        => Assert.Equal(expected, EmulatorBackend.Decide(setting, Never));

    [Theory]
    [InlineData(null, true, EmulatorMode.Docker)]
    [InlineData(null, false, EmulatorMode.Process)]
    [InlineData("", true, EmulatorMode.Docker)]
    [InlineData("auto", true, EmulatorMode.Docker)]
    [InlineData("AUTO", false, EmulatorMode.Process)]
    public void AutoIsDockerWhenDockerAnswersElseProcess(string? setting, bool dockerAnswers, EmulatorMode expected)
    {
        int probes = 0;
        Assert.Equal(expected, EmulatorBackend.Decide(setting, () => { probes++; return dockerAnswers; }));
        Assert.Equal(1, probes);
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("yes")]
    [InlineData("proc")]
    public void AnythingElseIsAnErrorNamingTheChoices(string setting)
    {
        var e = Assert.Throws<ArgumentException>(() => EmulatorBackend.Decide(setting, Never));
        Assert.Contains(EmulatorBackend.Variable, e.Message);
        Assert.Contains("process, docker, auto", e.Message);
    }

    [Fact]
    public void WithoutADockerCommandDockerIsNotAvailable()
        => Assert.False(EmulatorBackend.DockerIsAvailable("/nonexistent/zarrcloud/docker"));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void DockerIsAvailableWhenDockerInfoSucceeds(int exitCode, bool expected)
    {
        using var dir = new TempDirectory();
        var fake = FakeDocker(dir, $"[ \"$1\" = info ] || exit 7\nexit {exitCode}");
        Assert.Equal(expected, EmulatorBackend.DockerIsAvailable(fake));
    }

    [Fact]
    public void AHangingDockerCountsAsUnavailable()
    {
        using var dir = new TempDirectory();
        var fake = FakeDocker(dir, "sleep 30");
        Assert.False(EmulatorBackend.DockerIsAvailable(fake, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void OnThisMachineTheModeFollowsTheSettingAndTheProbe()
    {
        // Whatever this machine has, Mode must be what Decide says for it.
        var expected = EmulatorBackend.Decide(Environment.GetEnvironmentVariable(EmulatorBackend.Variable), () => EmulatorBackend.DockerIsAvailable());
        Assert.Equal(expected, EmulatorBackend.Mode);
    }

    [Fact]
    public void ContainerSpecsPinTheirImages()
    {
        foreach (var spec in new[] { ContainerSpec.Minio, ContainerSpec.Azurite, ContainerSpec.FakeGcs })
        {
            Assert.Matches(@"^[a-z0-9./-]+:[A-Za-z0-9._-]+$", spec.Image);
            Assert.DoesNotContain(":latest", spec.Image);
            Assert.InRange(spec.Port, 1, 65535);
        }
    }
}
