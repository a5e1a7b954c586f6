using Spectre.Console;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Cli.Copying;
using Zarr.Cloud.Indexing;
using Zarr.Cloud.Metadata;
using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Cli.Tests;

/// <summary>The progress bar of get and copy: drawn only on an interactive terminal; never changes what is written.</summary>
public class ProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, false, "xterm-256color", true)]
    [InlineData(true, false, null, true)]
    [InlineData(false, false, "xterm-256color", false)] // stdout or stderr redirected (as in every test here)
    [InlineData(true, true, "xterm-256color", false)] // --no-progress
    [InlineData(true, false, "dumb", false)]
    public void ShownOnlyOnAnInteractiveTerminal(bool interactive, bool noProgress, string? term, bool shown)
        => Assert.Equal(shown, TransferProgress.ShouldShow(interactive, noProgress, term));

    [Fact]
    public async Task TheBarDrawsWhatTheReadsReport()
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes });
        var array = await ZarrArray.CreateAsync(new MemoryStore(), "t", new ZarrArrayDefinition { Shape = [40, 10], ChunkShape = [8, 10], DataType = ZarrDataType.Int32 }, cancellationToken: Ct);
        await TransferProgress.RenderAsync(console, async bar =>
        {
            bar.Begin("get t", 40 * 10 * 4);
            // Two blocks, each read reporting its chunks into the one bar.
            await array.ReadAsync<int>(new Selection(0..16), bar.Block(), Ct);
            await array.ReadAsync<int>(new Selection(16..40), bar.Block(), Ct);
        });
        var drawn = text.ToString();
        Assert.Contains("get t", drawn, StringComparison.Ordinal);
        Assert.Contains("100%", drawn, StringComparison.Ordinal);
        var plain = System.Text.RegularExpressions.Regex.Replace(drawn, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        Assert.True(plain.Contains("100% 1.6 KiB", StringComparison.Ordinal), plain); // 1600 bytes: both blocks counted, once
    }

    [Theory]
    [InlineData("x.npy")]
    [InlineData("x.csv")]
    [InlineData(null)]
    public async Task GetRedirectedPrintsNoBarAndTheSameBytesWithOrWithoutNoProgress(string? name)
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3, rows: 40, cols: 9, chunks: [7, 4]);
        string[] Args(string output, params string[] more) => name is null ? ["get", dir.Path, "--block-bytes", "300", .. more] : ["get", dir.Path, "-o", output, "--block-bytes", "300", .. more];
        var plain = await CliRunner.RunOkAsync(Args(dir["a-" + name]));
        var quiet = await CliRunner.RunOkAsync(Args(dir["b-" + name], "--no-progress"));
        Assert.Equal(quiet.Out, plain.Out);
        if (name is not null) Assert.Equal(File.ReadAllBytes(dir["b-" + name]), File.ReadAllBytes(dir["a-" + name]));
        else Assert.Contains("shape", plain.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("%", plain.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("━", plain.Out + plain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyRedirectedPrintsNoBarAndTheSameCopyWithOrWithoutNoProgress()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteHierarchyAsync(dir["src"], 3);
        var plain = await CliRunner.RunOkAsync("copy", dir["src"], dir["a"]);
        var quiet = await CliRunner.RunOkAsync("copy", dir["src"], dir["b"], "--no-progress");
        Assert.Equal(quiet.Out, plain.Out);
        Assert.DoesNotContain("%", plain.Error, StringComparison.Ordinal);
        var a = Directory.GetFiles(dir["a"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir["a"], f)).Order().ToList();
        var b = Directory.GetFiles(dir["b"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir["b"], f)).Order().ToList();
        Assert.Equal(b, a);
        Assert.NotEmpty(a);
        foreach (var f in a) Assert.Equal(File.ReadAllBytes(Path.Combine(dir["b"], f)), File.ReadAllBytes(Path.Combine(dir["a"], f)));
    }

    private sealed class ProgressLog : IProgress<ZarrProgress>
    {
        public List<ZarrProgress> Reports { get; } = [];

        public void Report(ZarrProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    [Fact]
    public async Task TheCopierReportsEveryDestinationChunkOfEachArray()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir["src"], 2, rows: 23, cols: 17, chunks: [5, 4]);
        var source = await ZarrArray.OpenAsync(dir["src"], cancellationToken: Ct);
        var destination = new MemoryStore();
        var logs = new Dictionary<string, ProgressLog>();
        // Blocks of two rows of destination chunks (7 x 3, 6 chunks a row): 4 blocks, the last cut at the edge.
        var settings = new CopySettings(3, [7, 3], null, BlockBytes: 7 * 17 * 4 * 2);
        var copier = new HierarchyCopier(destination, settings, new ZarrOpenOptions(), TextWriter.Null) { ArrayProgress = a => logs[a.Path] = new ProgressLog() };
        await copier.CopyAsync(source, "copy", Ct);
        var log = Assert.Single(logs).Value;
        Assert.Equal(new ZarrProgress(0, 4 * 6, 0, TimeSpan.Zero), log.Reports[0]);
        var last = log.Reports[^1];
        Assert.Equal(24, last.ChunksDone);
        Assert.Equal(24, last.ChunksTotal);
        Assert.Equal(23 * 17 * 4, last.BytesDone);
        Assert.True(log.Reports.Count >= 3, "a report per block");
        Assert.True(log.Reports.Zip(log.Reports.Skip(1)).All(p => p.Second.ChunksDone > p.First.ChunksDone));
    }
}
