namespace Zarr.Cloud.Cli.Tests;

/// <summary>The tool ships every backend: each cloud scheme resolves to its store (here pointed at a closed port, so the error is the store's, not "no store registered").</summary>
public class CloudSchemeTests
{
    [Theory]
    [InlineData("s3://bucket/data.zarr")]
    [InlineData("gs://bucket/data.zarr")]
    [InlineData("az://container/data.zarr")]
    public async Task EveryCloudSchemeIsRegistered(string url)
    {
        var r = await CliRunner.RunAsync("info", url, "--anonymous", "--endpoint", "http://127.0.0.1:9");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("No store is registered", r.Error, StringComparison.Ordinal);
        Assert.Single(r.ErrorLines);
    }
}
