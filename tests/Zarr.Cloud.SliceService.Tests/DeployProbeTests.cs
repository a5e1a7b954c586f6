using System.Net;
using System.Text.RegularExpressions;

namespace Zarr.Cloud.SliceService.Tests;

/// <summary>
/// The health paths deploy/ asks (the kubelet's probes in deploy/k8s/deployment.yaml, Docker's HEALTHCHECK in
/// deploy/Dockerfile) answer on the service. tests/Zarr.Cloud.Samples.Tests checks the rest of the manifests.
/// </summary>
public sealed class DeployProbeTests(DemoData demo)
{
    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zarr.Cloud.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("The repository root (Zarr.Cloud.sln) is not above the test's folder.");
        }
    }

    public static TheoryData<string, string> ProbedPaths()
    {
        var deployment = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "k8s", "deployment.yaml"));
        var dockerfile = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "Dockerfile"));
        var data = new TheoryData<string, string>();
        foreach (Match m in Regex.Matches(deployment, @"^\s*(\w+Probe):\s*\n\s*httpGet:\s*\n\s*path:\s*(\S+)", RegexOptions.Multiline))
            data.Add("deployment.yaml " + m.Groups[1].Value, m.Groups[2].Value);
        data.Add("Dockerfile HEALTHCHECK", Regex.Match(dockerfile, @"HEALTHCHECK[^\n]*\\\n[^\n]*GET (/\S+) HTTP").Groups[1].Value);
        return data;
    }

    [Fact]
    public void TheDeployFilesProbeTheLiveAndReadyPaths()
    {
        var paths = ProbedPaths().Select(row => (row.Data.Item1, row.Data.Item2)).ToList();
        Assert.Equal([("deployment.yaml readinessProbe", "/health/ready"), ("deployment.yaml livenessProbe", "/health/live"), ("Dockerfile HEALTHCHECK", "/health/live")], paths);
    }

    [Theory]
    [MemberData(nameof(ProbedPaths))]
    public async Task TheProbedPath_AnswersHealthy(string prober, string path)
    {
        using var response = await demo.Host.Client.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{prober} asks {path}: {(int)response.StatusCode}");
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
