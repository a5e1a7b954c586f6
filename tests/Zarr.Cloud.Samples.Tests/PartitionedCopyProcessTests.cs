using System.Diagnostics;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.S3;
using Zarr.Cloud.S3.Tests;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Samples.Tests;

/// <summary>
/// <c>zarr copy --partition i/4</c> run as four separate, concurrent processes (the built zarr.dll), from the MUR-like
/// dataset on the S3 emulator to another bucket there, as an Indexed Job's pods would: the result equals a copy made
/// by one process, key for key, byte for byte and value for value.
/// </summary>
public sealed class PartitionedCopyProcessTests(S3rverFixture s3)
{
    private const int Workers = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Copies() => new()
    {
        { "zarr-v1/analysed_sst", "--format 3 --chunks 12,30,60 --codec zstd:1" },            // rechunked: target chunks straddle source chunks
        { "zarr-v1", "--format 3" },                                                          // a whole consolidated group
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public async Task FourPartitionProcessesEqualOneCopy(string source, string options)
    {
        s3.Require();
        var bucket = await MurLikeDataset.GetAsync(s3, Ct);
        var target = await s3.CreateBucketAsync("copies");
        var src = $"s3://{bucket}/{source}";
        var extra = options.Split(' ');

        var single = await ZarrAsync(["copy", src, $"s3://{target}/single", .. extra]);
        Assert.True(single.Code == 0, single.Output);
        var workers = Enumerable.Range(0, Workers).Select(i => ZarrAsync(["copy", src, $"s3://{target}/parts", .. extra, "--partition", $"{i}/{Workers}"])).ToArray();
        var results = await Task.WhenAll(workers);
        for (int i = 0; i < Workers; i++) Assert.True(results[i].Code == 0, $"partition {i}/{Workers}: {results[i].Output}");

        using var one = new S3Store(target, "single", s3.Options());
        using var parts = new S3Store(target, "parts", s3.Options());
        var expectedKeys = await KeysAsync(one);
        Assert.Equal(expectedKeys, await KeysAsync(parts));
        Assert.True(expectedKeys.Count > 20, $"only {expectedKeys.Count} keys");
        foreach (var key in expectedKeys)
        {
            using var a = await one.GetAsync(key, cancellationToken: Ct);
            using var b = await parts.GetAsync(key, cancellationToken: Ct);
            Assert.True(a!.Memory.Span.SequenceEqual(b!.Memory.Span), $"{key} differs");
        }

        // Value for value, against what was written to the source.
        var copy = await ZarrNode.OpenAsync(parts, "", cancellationToken: Ct);
        var sst = copy as ZarrArray ?? await ((ZarrGroup)copy).OpenArrayAsync("analysed_sst", Ct);
        var data = (await sst.ReadAsync<short>(Selection.All, Ct)).Data;
        for (int t = 0; t < MurLikeDataset.Days; t += 7)
            for (int y = 0; y < MurLikeDataset.Ny; y++)
                for (int x = 0; x < MurLikeDataset.Nx; x++)
                    Assert.Equal(MurLikeDataset.Packed(t, y, x), data[(t * MurLikeDataset.Ny + y) * MurLikeDataset.Nx + x]);
    }

    private static async Task<List<string>> KeysAsync(IAsyncStore store)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListAsync("", Ct)) keys.Add(key);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Runs the built zarr.dll (beside this test assembly) as a process against the emulator.</summary>
    private async Task<(int Code, string Output)> ZarrAsync(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zarr.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--endpoint");
        psi.ArgumentList.Add(s3.Endpoint);
        psi.Environment["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey;
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey;
        psi.Environment["AWS_REGION"] = "us-east-1";
        psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, $"zarr {string.Join(' ', args)}\nexit {process.ExitCode}\n{await stdout}{await stderr}");
    }
}
