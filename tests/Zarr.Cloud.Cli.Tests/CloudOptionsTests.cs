using System.Collections.Concurrent;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Storage;
using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>
/// --anonymous, --endpoint and --region reach the store resolver (where each backend lets them override the
/// environment), and no secret in a URL reaches the terminal.
/// </summary>
public sealed class CloudOptionsTests
{
    private const string Secret = "CliS3cretSig-8472xq";

    // One process-wide scheme; each run names its own host, so parallel tests do not mix their records.
    private static readonly ConcurrentDictionary<string, StoreOpenOptions> Seen = new();
    private static readonly MemoryStore Group = CreateGroupStore();

    private static MemoryStore CreateGroupStore()
    {
        var store = new MemoryStore();
        ZarrGroup.CreateAsync(store, "", 3).GetAwaiter().GetResult();
        StoreResolver.Register("clioptions", (uri, options) =>
        {
            Seen[uri.Host] = options;
            return new StoreLocation(store, "");
        });
        return store;
    }

    private static async Task<StoreOpenOptions> OptionsOfAsync(params string[] args)
    {
        _ = Group;
        var host = "h" + Guid.NewGuid().ToString("N");
        await CliRunner.RunOkAsync([.. args.Select(a => a.Replace("URL", $"clioptions://{host}/", StringComparison.Ordinal))]);
        return Seen[host];
    }

    [Theory]
    [InlineData("info")]
    [InlineData("tree")]
    public async Task TheFlagsReachTheStore(string command)
    {
        var o = await OptionsOfAsync(command, "URL", "--anonymous", "--endpoint", "http://127.0.0.1:9000", "--region", "eu-west-3");
        Assert.True(o.Anonymous);
        Assert.Equal("http://127.0.0.1:9000", o.Endpoint);
        Assert.Equal("eu-west-3", o.Region);
        Assert.True(o.ReadOnly);
        Assert.Equal("http", o.GetEndpointUri()!.Scheme);
    }

    [Fact]
    public async Task WithoutFlagsNothingIsOverridden()
    {
        var o = await OptionsOfAsync("info", "URL");
        Assert.False(o.Anonymous);
        Assert.Null(o.Endpoint);
        Assert.Null(o.Region);
    }

    [Fact]
    public async Task AnEndpointWithoutSchemeMeansHttps()
    {
        var o = await OptionsOfAsync("info", "URL", "--endpoint", "minio.internal:9000");
        Assert.Equal("https://minio.internal:9000/", o.GetEndpointUri()!.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASecretInAnHttpUrlNeverReachesTheTerminal(bool verbose)
    {
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}/data.zarr?se=2030-01-01&sig={Secret}&X-Amz-Signature={Secret}";
        var r = await CliRunner.RunAsync(verbose ? ["info", url, "--verbose"] : ["info", url]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("zarr: error: ", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, r.Error + r.Out, StringComparison.Ordinal);
        Assert.Contains("sig=REDACTED", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretInAnUnknownSchemeUrlNeverReachesTheTerminal()
    {
        var r = await CliRunner.RunAsync("info", $"nope://bucket/x?token={Secret}");
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain(Secret, r.Error, StringComparison.Ordinal);
    }
}

/// <summary>The zarr tool on https-style URLs: the SST sample served by nginx.</summary>
public sealed class HttpUrlTests(NginxFixture nginx) : IClassFixture<NginxFixture>
{
    private static string Sample => Path.Combine(ServerProcess.RepoRoot, "samples", "data", "sst.zarr");

    [Fact]
    public async Task InfoTreeAndGetReadOverHttpAsFromDisk()
    {
        var url = nginx.Require().Link($"sst-{Guid.NewGuid():N}", Sample).ToString();
        // A token in the URL (nginx ignores it) is redacted in what tree prints.
        var tokenTree = (await CliRunner.RunOkAsync("tree", url + "?token=" + "TreeTok3n-77")).Out;
        Assert.DoesNotContain("TreeTok3n-77", tokenTree, StringComparison.Ordinal);
        Assert.Contains("token=REDACTED", tokenTree, StringComparison.Ordinal);
        var info = await CliRunner.RunOkAsync("info", url, "--json");
        Assert.Contains("\"consolidated\": true", info.Out, StringComparison.Ordinal);
        Assert.Equal((await CliRunner.RunOkAsync("info", Sample, "--json")).Out, info.Out);
        var tree = (await CliRunner.RunOkAsync("tree", url)).Out;
        Assert.StartsWith(url + " (group) v2\n", tree, StringComparison.Ordinal);
        Assert.Equal((await CliRunner.RunOkAsync("tree", Sample)).OutLines[1..], tree.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal((await CliRunner.RunOkAsync("info", Path.Combine(Sample, "analysed_sst"))).Out, (await CliRunner.RunOkAsync("info", url + "analysed_sst")).Out);
        Assert.Equal((await CliRunner.RunOkAsync("get", Path.Combine(Sample, "analysed_sst"), "--select", "0,0:3,0:4")).Out,
            (await CliRunner.RunOkAsync("get", url + "analysed_sst", "--select", "0,0:3,0:4")).Out);
    }

    [Fact]
    public async Task InfoOfAGroupWithoutConsolidatedMetadataSaysItsChildrenAreUnknown()
    {
        using var dir = new TempFolder();
        var group = await ZarrGroup.CreateAsync(new FileSystemStore(dir.Path), "", 2, cancellationToken: TestContext.Current.CancellationToken);
        await group.CreateGroupAsync("child", cancellationToken: TestContext.Current.CancellationToken);
        var url = nginx.Require().Link($"g-{Guid.NewGuid():N}", dir.Path).ToString();
        var info = await CliRunner.RunOkAsync("info", url, "--json");
        Assert.Contains("\"children\": null", info.Out, StringComparison.Ordinal);
        var tree = await CliRunner.RunAsync("tree", url);
        Assert.Equal(1, tree.ExitCode);
        Assert.Contains("consolidated metadata", tree.Error, StringComparison.Ordinal);
    }
}
