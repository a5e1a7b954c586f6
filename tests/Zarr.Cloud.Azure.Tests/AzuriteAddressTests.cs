namespace Zarr.Cloud.Azure.Tests;

/// <summary>The Azurite fixture's endpoint and connection string: one shape for the process and the container.</summary>
public sealed class AzuriteAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", 10000, "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("localhost", 32768, "http://localhost:32768/devstoreaccount1")]
    public void TheServiceUriIsPathStyleOnTheMappedPort(string host, int port, string expected)
        => Assert.Equal(expected, AzuriteFixture.ServiceUriOf(host, port).ToString());

    [Fact]
    public void TheConnectionStringNamesTheDevelopmentAccountAndTheEndpoint()
    {
        var s = AzuriteFixture.ConnectionStringOf(AzuriteFixture.ServiceUriOf("docker.example", 49153));
        Assert.Equal($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.Key};BlobEndpoint=http://docker.example:49153/devstoreaccount1;", s);
    }
}
