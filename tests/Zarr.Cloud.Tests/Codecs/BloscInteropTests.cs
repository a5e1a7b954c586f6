using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Zarr.Cloud.Codecs.Blosc;
using Zarr.Cloud.Tests.Interop;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>Frames of the C library read byte-exact; frames of this encoder read byte-exact by the C library.</summary>
public class BloscInteropTests(BloscFrameMatrix matrix) : IClassFixture<BloscFrameMatrix>
{
    private static BloscCodec CodecFor(BloscFrameMatrix.Case c, int maxDegreeOfParallelism = 1)
        => new(BloscCodec.ParseCompressor(c.CName), c.CLevel, (BloscShuffleMode)c.Shuffle, c.TypeSize, c.BlockSize) { MaxDegreeOfParallelism = maxDegreeOfParallelism };

    [Fact]
    public void EveryFrameTheCLibraryWritesDecodesByteExact()
    {
        var m = matrix.Get();
        var failures = new ConcurrentQueue<string>();
        Parallel.For(0, m.Cases.Count, i =>
        {
            var c = m.Cases[i];
            var expected = m.Data[c.Data];
            try
            {
                var codec = CodecFor(c, maxDegreeOfParallelism: i % 3 == 0 ? 2 : 1);
                var frame = m.Frame(c);
                using (var b = codec.Decode(frame, expected.Length))
                    if (!b.Span.SequenceEqual(expected)) failures.Enqueue($"case {c}: decoded bytes differ");
                if (i % 4 == 0)
                {
                    using var b = codec.Decode(frame, null);
                    if (!b.Span.SequenceEqual(expected)) failures.Enqueue($"case {c}: decoded bytes (no expected length) differ");
                    var into = new byte[expected.Length];
                    codec.DecodeInto(frame, into);
                    if (!into.AsSpan().SequenceEqual(expected)) failures.Enqueue($"case {c}: DecodeInto differs");
                }
            }
            catch (Exception e)
            {
                failures.Enqueue($"case {c}: {e.GetType().Name} {e.Message}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {m.Cases.Count} frames failed:\n{string.Join("\n", failures.Take(30))}");
        Assert.True(m.Cases.Count > 8000, $"only {m.Cases.Count} frames");
    }

    [Fact]
    public void EveryFrameWeWriteDecodesByteExactWithTheCLibrary()
    {
        var m = matrix.Get();
        var python = BloscFrameMatrix.RequirePythonBlosc();
        // one frame per distinct setting (the split-mode variants are the C writer's, not ours)
        var cases = m.Cases.Where(c => c.SplitMode == "FORWARD_COMPAT").ToList();
        var frames = new byte[cases.Count][];
        var failures = new ConcurrentQueue<string>();
        Parallel.For(0, cases.Count, i =>
        {
            var c = cases[i];
            var input = m.Data[c.Data];
            try
            {
                var codec = CodecFor(c);
                using var encoded = codec.Encode(input);
                frames[i] = encoded.Span.ToArray();
                using var back = codec.Decode(encoded.Span, input.Length);
                if (!back.Span.SequenceEqual(input)) failures.Enqueue($"case {c}: our own frame does not round-trip");
                // the header as c-blosc writes it for the same settings: block size, type size, split and shuffle flags
                var theirs = m.Frame(c);
                var ours = encoded.Span;
                if (!ours[..2].SequenceEqual(theirs[..2]) || (ours[2] | 2) != (theirs[2] | 2) || !ours[3..12].SequenceEqual(theirs[3..12]))
                    failures.Enqueue($"case {c}: header {Convert.ToHexString(ours[..16])}, c-blosc wrote {Convert.ToHexString(theirs[..16])}");
            }
            catch (Exception e)
            {
                failures.Enqueue($"case {c}: {e.GetType().Name} {e.Message}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} failed:\n{string.Join("\n", failures.Take(30))}");

        var list = new JsonArray();
        using (var bin = File.Create(Path.Combine(m.Dir, "ours.bin")))
        {
            for (int i = 0; i < cases.Count; i++)
            {
                list.Add(new JsonObject { ["id"] = cases[i].Id, ["data"] = cases[i].Data, ["offset"] = bin.Position, ["length"] = frames[i].Length });
                bin.Write(frames[i]);
            }
        }
        File.WriteAllText(Path.Combine(m.Dir, "ours.json"), list.ToJsonString());
        var (code, stdout, stderr) = ExternalTools.Run(python, [ExternalTools.Script("blosc_frames.py"), "verify", m.Dir], TimeSpan.FromMinutes(3));
        var lines = stdout.Split('\n');
        Assert.True(code == 0, $"c-blosc could not read our frames:\n{string.Join("\n", lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Take(30))}\n{stderr}");
        Assert.Equal(cases.Count, lines.Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));
    }
}
