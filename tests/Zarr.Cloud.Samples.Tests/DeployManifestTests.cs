using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using Zarr.Cloud.Tests;
using Zarr.Cloud.Tests.Emulators;

namespace Zarr.Cloud.Samples.Tests;

/// <summary>
/// deploy/ and docker-compose.yml, checked without Docker or a cluster: every YAML document parses, and the invariants
/// that matter hold (probes on the health paths, non-root everywhere, the Job is Indexed and passes its index to
/// <c>--partition</c>). The Job's shell command is run here, for each index, against local folders.
/// </summary>
public sealed class DeployManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Deploy => Path.Combine(ServerProcess.RepoRoot, "deploy");

    /// <summary>Every document of a YAML file, as JSON nodes (scalars as strings).</summary>
    private static List<JsonObject> Documents(string file)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(file)));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<JsonObject>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(deserializer.Deserialize<object>(parser)) is JsonObject o) documents.Add(o);
        }
        return documents;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key.ToString()!, ToJson(p.Value)))),
        IList<object> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    private static Dictionary<string, JsonObject> Manifests()
    {
        var all = new Dictionary<string, JsonObject>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml"))
            foreach (var doc in Documents(file))
                all.Add($"{doc["kind"]}/{doc["metadata"]!["name"]}", doc);
        return all;
    }

    private static string S(JsonNode? node) => node?.GetValue<string>() ?? "";

    [Fact]
    public void EveryManifestParsesAndHasTheExpectedKinds()
    {
        var m = Manifests();
        Assert.Equal(["ConfigMap/slice-service-datasets", "Deployment/redis", "Deployment/slice-service", "HorizontalPodAutoscaler/slice-service", "Job/zarr-copy", "Service/redis", "Service/slice-service"],
            m.Keys.Order(StringComparer.Ordinal));
        Assert.All(m.Values, d => Assert.False(string.IsNullOrEmpty(S(d["apiVersion"]))));
        Assert.All(m.Values, d => Assert.Null(d["metadata"]!["namespace"])); // namespace-agnostic
    }

    [Fact]
    public void TheSliceServiceProbesItsHealthEndpointsAndRunsAsNonRootOnAReadOnlyRoot()
    {
        var m = Manifests();
        var deployment = m["Deployment/slice-service"];
        Assert.Equal("2", S(deployment["spec"]!["replicas"]));
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]!.AsArray().Single()!;
        Assert.Equal("/health/ready", S(container["readinessProbe"]!["httpGet"]!["path"]));
        Assert.Equal("/health/live", S(container["livenessProbe"]!["httpGet"]!["path"]));
        var port = container["ports"]!.AsArray().Single()!;
        Assert.Equal("8080", S(port["containerPort"]));
        Assert.All(new[] { "readinessProbe", "livenessProbe" }, p => Assert.Equal(S(port["name"]), S(container[p]!["httpGet"]!["port"])));
        Assert.Equal("true", S(container["securityContext"]!["readOnlyRootFilesystem"]));
        var data = container["volumeMounts"]!.AsArray().Single(v => S(v!["mountPath"]) == "/data")!;
        Assert.NotNull(pod["volumes"]!.AsArray().Single(v => S(v!["name"]) == S(data["name"]))!["emptyDir"]);
        Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
        // Configuration: the datasets from the ConfigMap, the cache in the redis Service.
        var configMap = S(container["envFrom"]!.AsArray().Single()!["configMapRef"]!["name"]);
        Assert.True(m.ContainsKey($"ConfigMap/{configMap}"));
        Assert.StartsWith("s3://", S(m[$"ConfigMap/{configMap}"]["data"]!["Zarr__Datasets__mur__Url"]), StringComparison.Ordinal);
        Assert.Equal("/data/demo.zarr", S(m[$"ConfigMap/{configMap}"]["data"]!["Demo__Path"]));
        var redis = container["env"]!.AsArray().Single(e => S(e!["name"]) == "ConnectionStrings__redis")!;
        Assert.Equal($"{m["Service/redis"]["metadata"]!["name"]}:{S(m["Service/redis"]["spec"]!["ports"]![0]!["port"])}", S(redis["value"]));
        // The Service and the autoscaler find the Deployment.
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(m["Service/slice-service"]["spec"]!["selector"]!.AsObject(), p => Assert.Equal(S(p.Value), S(labels[p.Key])));
        var hpa = m["HorizontalPodAutoscaler/slice-service"];
        Assert.Equal("autoscaling/v2", S(hpa["apiVersion"]));
        Assert.Equal("Deployment/slice-service", $"{S(hpa["spec"]!["scaleTargetRef"]!["kind"])}/{S(hpa["spec"]!["scaleTargetRef"]!["name"])}");
        Assert.Equal("cpu", S(hpa["spec"]!["metrics"]![0]!["resource"]!["name"]));
    }

    [Fact]
    public void EveryPodRunsAsNonRootWithoutPrivilegeEscalation()
    {
        foreach (var (name, doc) in Manifests().Where(p => S(p.Value["kind"]) is "Deployment" or "Job"))
        {
            var pod = doc["spec"]!["template"]!["spec"]!;
            Assert.True(S(pod["securityContext"]!["runAsNonRoot"]) == "true", $"{name}: runAsNonRoot");
            Assert.NotEqual("0", S(pod["securityContext"]!["runAsUser"]));
            foreach (var c in pod["containers"]!.AsArray())
                Assert.True(S(c!["securityContext"]!["allowPrivilegeEscalation"]) == "false", $"{name}/{S(c["name"])}: allowPrivilegeEscalation");
        }
    }

    [Fact]
    public void TheCopyJobIsIndexedAndPassesItsIndexToPartition()
    {
        var job = Manifests()["Job/zarr-copy"];
        var spec = job["spec"]!;
        Assert.Equal("Indexed", S(spec["completionMode"]));
        var container = spec["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        var env = container["env"]!.AsArray().ToDictionary(e => S(e!["name"]), e => e!["value"]);
        Assert.Equal(S(spec["completions"]), S(env["WORKERS"]));
        Assert.Equal(S(spec["completions"]), S(spec["parallelism"]));
        Assert.Equal("Never", S(spec["template"]!["spec"]!["restartPolicy"]));
        var script = S(container["args"]!.AsArray().Single());
        Assert.Contains("--partition \"$JOB_COMPLETION_INDEX/$WORKERS\"", script, StringComparison.Ordinal);
        Assert.Equal(["/bin/sh", "-c"], container["command"]!.AsArray().Select(S));
    }

    [Fact]
    public async Task TheCopyJobsCommandRunForEveryIndexCopiesTheWholeDataset()
    {
        if (!File.Exists("/bin/sh")) Requirements.Missing("/bin/sh");
        var container = Manifests()["Job/zarr-copy"]["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        var env = container["env"]!.AsArray().Where(e => e!["value"] is not null).ToDictionary(e => S(e!["name"]), e => S(e!["value"]));
        // The image's /app/zarr.dll is the zarr.dll built beside this test.
        var script = S(container["args"]!.AsArray().Single()).Replace("/app/zarr.dll", Path.Combine(AppContext.BaseDirectory, "zarr.dll"), StringComparison.Ordinal);
        var root = Path.Combine(Path.GetTempPath(), "zarr-job-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sample = Path.Combine(ServerProcess.RepoRoot, "samples", "data", "sst.zarr");
            int workers = int.Parse(env["WORKERS"], System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < workers; i++)
            {
                var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(script);
                psi.Environment["JOB_COMPLETION_INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                psi.Environment["WORKERS"] = env["WORKERS"];
                psi.Environment["SRC"] = sample;
                psi.Environment["DST"] = Path.Combine(root, "job");
                psi.Environment["COPY_OPTIONS"] = env["COPY_OPTIONS"];
                using var p = Process.Start(psi)!;
                var output = await p.StandardOutput.ReadToEndAsync(Ct) + await p.StandardError.ReadToEndAsync(Ct);
                await p.WaitForExitAsync(Ct);
                Assert.True(p.ExitCode == 0, $"index {i}: {output}");
            }
            var plainArgs = new List<string> { "copy", sample, Path.Combine(root, "plain") };
            plainArgs.AddRange(env["COPY_OPTIONS"].Split(' '));
            using (var stdout = new StringWriter())
            using (var stderr = new StringWriter())
                Assert.Equal(0, await Zarr.Cloud.Cli.Program.RunAsync([.. plainArgs], stdout, stderr, Ct));
            var plain = Directory.EnumerateFiles(Path.Combine(root, "plain"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(root, "plain"), f)).Order().ToList();
            var job = Directory.EnumerateFiles(Path.Combine(root, "job"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Path.Combine(root, "job"), f)).Order().ToList();
            Assert.Equal(plain, job);
            foreach (var f in plain) Assert.Equal(File.ReadAllBytes(Path.Combine(root, "plain", f)), File.ReadAllBytes(Path.Combine(root, "job", f)));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void TheImagesRunAsNonRootAndTheServiceImageChecksItsHealth()
    {
        var service = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        var runtime = service[service.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", runtime, StringComparison.Ordinal);
        Assert.Contains("\nUSER $APP_UID", runtime, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080", runtime, StringComparison.Ordinal);
        Assert.Matches(@"HEALTHCHECK [^\n]*\\\n[^\n]*/health/live", runtime);
        Assert.Contains("dotnet publish samples/SliceService/SliceService.csproj", service, StringComparison.Ordinal);
        var cli = File.ReadAllText(Path.Combine(Deploy, "cli.Dockerfile"));
        Assert.Contains("\nUSER $APP_UID", cli[cli.LastIndexOf("\nFROM ", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/Zarr.Cloud.Cli/Zarr.Cloud.Cli.csproj", cli, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ServerProcess.RepoRoot, ".dockerignore")));
    }

    [Fact]
    public void TheDockerfileCopiesEveryProjectTheServiceBuildsFrom()
    {
        // The build stage copies only some folders: the service's project and every project it references, transitively,
        // must be under one of them, or `docker build` fails where `dotnet build` here succeeds.
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        var copied = Regex.Matches(dockerfile, @"^COPY (?!--from)(\S+/) \1$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["src/", "samples/SliceService/"], copied);
        var published = Regex.Match(dockerfile, @"dotnet publish (\S+\.csproj)").Groups[1].Value;
        Assert.Equal("samples/SliceService/SliceService.csproj", published);
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(Path.Combine(ServerProcess.RepoRoot, published))]);
        while (pending.TryPop(out var project))
        {
            Assert.True(File.Exists(project), $"{project} does not exist");
            var relative = Path.GetRelativePath(ServerProcess.RepoRoot, project).Replace('\\', '/');
            if (!seen.Add(relative)) continue;
            Assert.True(copied.Any(c => relative.StartsWith(c, StringComparison.Ordinal)), $"{relative} is built by the image but not copied into it");
            var xml = System.Xml.Linq.XDocument.Load(project);
            foreach (var include in xml.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "Compile" or "Content" or "None").Select(e => e.Attribute("Include")?.Value).OfType<string>())
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include));
                Assert.True(copied.Any(c => Path.GetRelativePath(ServerProcess.RepoRoot, target).Replace('\\', '/').StartsWith(c, StringComparison.Ordinal)),
                    $"{relative} includes {include}, outside what the Dockerfile copies");
                if (include.EndsWith(".csproj", StringComparison.Ordinal)) pending.Push(target);
            }
        }
        Assert.Contains("src/Zarr.Cloud/Zarr.Cloud.csproj", seen);
        Assert.Contains("src/Zarr.Cloud.DependencyInjection/Zarr.Cloud.DependencyInjection.csproj", seen);
    }

    [Fact]
    public void ComposeRunsTheSliceServiceFromTheDockerfileWithRedis()
    {
        var compose = Assert.Single(Documents(Path.Combine(ServerProcess.RepoRoot, "docker-compose.yml")));
        var services = compose["services"]!;
        var slice = services["slice-service"]!;
        Assert.Equal("deploy/Dockerfile", S(slice["build"]!["dockerfile"]));
        Assert.Equal(".", S(slice["build"]!["context"]));
        Assert.Equal("redis:6379", S(slice["environment"]!["ConnectionStrings__redis"]));
        Assert.Contains("redis", slice["depends_on"]!.AsArray().Select(S));
        Assert.StartsWith("redis:", S(services["redis"]!["image"]), StringComparison.Ordinal);
        // Host ports are distinct across services.
        var hostPorts = services.AsObject().SelectMany(s => s.Value!["ports"]?.AsArray().Select(p => S(p).Split(':')[0]) ?? []).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }
}
