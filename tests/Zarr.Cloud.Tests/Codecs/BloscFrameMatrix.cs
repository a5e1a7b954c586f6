using System.Text.Json.Nodes;
using Zarr.Cloud.Tests.Interop;

namespace Zarr.Cloud.Tests.Codecs;

/// <summary>
/// The Blosc test matrix written by the C library (tests/interop/blosc_frames.py generate, Debian's c-blosc 1.21
/// through python-blosc and numcodecs 0.11), generated once per test run into a temporary folder.
/// </summary>
public sealed class BloscFrameMatrix : IDisposable
{
    private readonly Lazy<Generated> _generated = new(Generate);

    public sealed record Case(int Id, string Data, string CName, int CLevel, int Shuffle, int TypeSize, int BlockSize, string SplitMode, bool Old, string Writer, long Offset, int Length);

    public sealed class Generated(string dir, IReadOnlyList<Case> cases, byte[] frames, Dictionary<string, byte[]> data)
    {
        public string Dir { get; } = dir;
        public IReadOnlyList<Case> Cases { get; } = cases;
        public byte[] Frames { get; } = frames;
        public Dictionary<string, byte[]> Data { get; } = data;

        public ReadOnlySpan<byte> Frame(Case c) => Frames.AsSpan((int)c.Offset, c.Length);
    }

    public static string RequirePythonBlosc()
    {
        var python = Requirements.Python;
        var (code, _, _) = ExternalTools.Run(python, ["-c", "import blosc, numcodecs, numpy"], TimeSpan.FromSeconds(60), allowMissing: true);
        if (code != 0) Requirements.Missing($"python-blosc and numcodecs for {python} (apt-get install python3-blosc python3-numcodecs)");
        return python;
    }

    private static Generated Generate()
    {
        var python = RequirePythonBlosc();
        var dir = ExternalTools.NewTempDir("blosc");
        ExternalTools.RunOk(python, [ExternalTools.Script("blosc_frames.py"), "generate", dir], TimeSpan.FromMinutes(3));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!;
        var cases = manifest["cases"]!.AsArray().Select(n => new Case(
            (int)n!["id"]!, (string)n["data"]!, (string)n["cname"]!, (int)n["clevel"]!, (int)n["shuffle"]!, (int)n["typesize"]!,
            (int)n["blocksize"]!, (string)n["splitmode"]!, (bool)n["old"]!, (string)n["writer"]!, (long)n["offset"]!, (int)n["length"]!)).ToList();
        var data = Directory.GetFiles(Path.Combine(dir, "data")).ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllBytes);
        return new Generated(dir, cases, File.ReadAllBytes(Path.Combine(dir, "frames.bin")), data);
    }

    public Generated Get() => _generated.Value;

    public void Dispose()
    {
        if (_generated.IsValueCreated) Directory.Delete(_generated.Value.Dir, recursive: true);
    }
}
