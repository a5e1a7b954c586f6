using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Zarr.Cloud.Arrays;
using Zarr.Cloud.Metadata;

namespace Zarr.Cloud.Cli.Tests;

public class GetCommandTests
{
    /// <summary>Parses an .npy file: checks the magic, version 1.0 and the 64-byte alignment; returns the header dict and the data.</summary>
    internal static (string Header, byte[] Data) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + length) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        return (header.TrimEnd(' ', '\n'), bytes[(10 + length)..]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task NpyOfASelectionHasNumPysHeaderAndLittleEndianBytes(int format)
    {
        using var dir = new TempFolder();
        var data = await Fixtures.WriteFloatGridAsync(dir.Path, format);
        var file = dir["part.npy"];
        await CliRunner.RunOkAsync("get", dir.Path, "--select", "2:9:3,5:", "-o", file);
        var (header, bytes) = ReadNpy(file);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }", header);
        var expected = new List<float>();
        foreach (var i in new[] { 2, 5, 8 }) for (int j = 5; j < 10; j++) expected.Add(data[i, j]);
        var actual = Enumerable.Range(0, bytes.Length / 4).Select(k => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(k * 4))).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task NpyOfABigEndianV2ArrayIsLittleEndian()
    {
        using var dir = new TempFolder();
        int[] values = [-5, 1 << 30, 7, int.MinValue];
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<int>(values, 4), ZarrDataType.Int32, 2, [3], bigEndian: true);
        Assert.Contains("\">i4\"", File.ReadAllText(dir[".zarray"]), StringComparison.Ordinal);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["x.npy"]);
        var (header, bytes) = ReadNpy(dir["x.npy"]);
        Assert.Equal("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", header);
        Assert.Equal(values, Enumerable.Range(0, 4).Select(k => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(k * 4))));
    }

    [Fact]
    public async Task NpyOfAScalarSelectionHasAnEmptyShape()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        await CliRunner.RunOkAsync("get", dir.Path, "--select", "3,4", "-o", dir["one.npy"]);
        var (header, bytes) = ReadNpy(dir["one.npy"]);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", header);
        Assert.Equal(34f, BinaryPrimitives.ReadSingleLittleEndian(bytes));
    }

    private sealed record TypeCase(string Name, Func<string, Task> Write, string Descr, string Shape, string[] Values);

    private static TypeCase Case<T>(string name, ZarrDataType type, T[] values, string descr, string[] expected, int format = 3, bool bigEndian = false) =>
        new(name, folder => Fixtures.WriteAsync(folder, "", new NDArray<T>(values, values.Length), type, format, [2], bigEndian: bigEndian), descr, $"[{values.Length}]", expected);

    [Fact]
    public async Task NumPyLoadsEveryDataType()
    {
        NumPy.Require();
        var cases = new[]
        {
            Case("bool", ZarrDataType.Bool, [true, false, true], "|b1", ["True", "False", "True"]),
            Case("int8", ZarrDataType.Int8, new sbyte[] { -128, 0, 127 }, "|i1", ["-128", "0", "127"]),
            Case("uint16", ZarrDataType.UInt16, new ushort[] { 0, 65535 }, "<u2", ["0", "65535"], format: 2, bigEndian: true),
            Case("int32", ZarrDataType.Int32, [-5, 1 << 30], "<i4", ["-5", "1073741824"], format: 2, bigEndian: true),
            Case("int64", ZarrDataType.Int64, [long.MinValue + 1, long.MaxValue], "<i8", ["-9223372036854775807", "9223372036854775807"]),
            Case("uint64", ZarrDataType.UInt64, [ulong.MaxValue, 1UL], "<u8", ["18446744073709551615", "1"]),
            Case("float16", ZarrDataType.Float16, [(Half)1.5, (Half)(-0.25), Half.NaN], "<f2", ["1.5", "-0.25", "nan"]),
            Case("float32", ZarrDataType.Float32, [0.5f, -2.25f, 1e10f, float.NegativeInfinity], "<f4", ["0.5", "-2.25", "10000000000.0", "-inf"]),
            Case("float64", ZarrDataType.Float64, [0.1, -1e300, double.PositiveInfinity], "<f8", ["0.1", "-1e+300", "inf"], format: 2, bigEndian: true),
            Case("complex64", ZarrDataType.Complex64, [new Complex64(1, 2), new Complex64(-3, 0.5f)], "<c8", ["(1+2j)", "(-3+0.5j)"]),
            Case("complex128", ZarrDataType.Complex128, [new Complex(1e-10, -2)], "<c16", ["(1e-10-2j)"], format: 2),
            Case("datetime", ZarrDataType.DateTime64("ns"), [0L, 1_600_000_000_000_000_000L, long.MinValue], "<M8[ns]", ["0", "1600000000000000000", "-9223372036854775808"]),
            Case("timedelta", ZarrDataType.TimeDelta64("s"), [5L, -7L], "<m8[s]", ["5", "-7"], format: 2),
            Case("bytes", ZarrDataType.FixedBytes(5), [Encoding.ASCII.GetBytes("ab"), Encoding.ASCII.GetBytes("hello")], "|S5", ["ab", "hello"]),
            Case("unicode", ZarrDataType.FixedUnicode(4), ["ab", "é\U0001D11E", ""], "<U4", ["ab", "é\U0001D11E", ""], format: 2),
        };
        using var dir = new TempFolder();
        var files = new List<string>();
        foreach (var c in cases)
        {
            var folder = dir[c.Name];
            await c.Write(folder);
            var file = dir[c.Name + ".npy"];
            await CliRunner.RunOkAsync("get", folder, "-o", file);
            files.Add(file);
        }
        const string script = """
            import json, sys, numpy as np
            out = {}
            for p in sys.argv[1:]:
                a = np.load(p, allow_pickle=False)
                if a.dtype.kind in 'Mm': d = [str(x) for x in a.view('<i8').ravel().tolist()]
                elif a.dtype.kind == 'S': d = [x.decode('latin-1') for x in a.ravel().tolist()]
                elif a.dtype.kind == 'U': d = a.ravel().tolist()
                else: d = [repr(x) for x in a.ravel().tolist()]
                out[p] = {'descr': a.dtype.str, 'shape': list(a.shape), 'values': d}
            print(json.dumps(out))
            """;
        var loaded = JsonNode.Parse(NumPy.Eval(script, [.. files]))!.AsObject();
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            var o = loaded[files[i]]!;
            Assert.True(c.Descr == o["descr"]!.GetValue<string>(), $"{c.Name}: descr {o["descr"]}");
            Assert.Equal(c.Shape, o["shape"]!.ToJsonString());
            Assert.Equal(c.Values, o["values"]!.AsArray().Select(v => v!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task JsonHasShapeDtypeAndFlatDataWithNonFiniteFloatsAsStrings()
    {
        using var dir = new TempFolder();
        var data = new NDArray<float>(Enumerable.Range(0, 12).Select(i => (float)i / 4).ToArray(), 3, 4);
        data.Data[0] = float.NaN;
        data.Data[1] = float.PositiveInfinity;
        data.Data[2] = float.NegativeInfinity;
        await Fixtures.WriteAsync(dir.Path, "", data, ZarrDataType.Float32, 3, [2, 3]);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["a.json"]);
        var o = JsonNode.Parse(File.ReadAllText(dir["a.json"]))!.AsObject();
        Assert.Equal("[3,4]", o["shape"]!.ToJsonString());
        Assert.Equal("float32", o["dtype"]!.GetValue<string>());
        var items = o["data"]!.AsArray();
        Assert.Equal(12, items.Count);
        Assert.Equal("NaN", items[0]!.GetValue<string>());
        Assert.Equal("Infinity", items[1]!.GetValue<string>());
        Assert.Equal("-Infinity", items[2]!.GetValue<string>());
        for (int i = 3; i < 12; i++) Assert.Equal(data.Data[i], items[i]!.GetValue<float>());
    }

    [Fact]
    public async Task JsonHoldsVariableLengthStringsAndNpyRefusesThem()
    {
        using var dir = new TempFolder();
        string[] values = ["a", "", "héllo, \"wörld\"", "日本"];
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<string>(values, 2, 2), ZarrDataType.String, 3, [1, 2]);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["s.json"]);
        var o = JsonNode.Parse(File.ReadAllText(dir["s.json"]))!.AsObject();
        Assert.Equal("string", o["dtype"]!.GetValue<string>());
        Assert.Equal(values, o["data"]!.AsArray().Select(x => x!.GetValue<string>()));

        var r = await CliRunner.RunAsync("get", dir.Path, "-o", dir["s.npy"]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("zarr: error: ", line, StringComparison.Ordinal);
        Assert.Contains(".json", line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["s.npy"]));
    }

    [Fact]
    public async Task JsonWritesDatetimesAsIsoText()
    {
        using var dir = new TempFolder();
        long[] seconds = [0, 1_600_000_000, long.MinValue];
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<long>(seconds, 3), ZarrDataType.DateTime64("s"), 3, [2]);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["t.json"]);
        var o = JsonNode.Parse(File.ReadAllText(dir["t.json"]))!.AsObject();
        Assert.Equal("datetime64[s]", o["dtype"]!.GetValue<string>());
        Assert.Equal(["1970-01-01T00:00:00", "2020-09-13T12:26:40", "NaT"], o["data"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task CsvWritesRowsOfRoundTrippableNumbers()
    {
        using var dir = new TempFolder();
        var data = new NDArray<double>([0.1, 1.0 / 3, -2e-300, 12345678.9, double.NaN, 7], 2, 3);
        await Fixtures.WriteAsync(dir.Path, "", data, ZarrDataType.Float64, 2, [2, 2]);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["a.csv"]);
        var lines = File.ReadAllLines(dir["a.csv"]);
        Assert.Equal(2, lines.Length);
        Assert.Equal("0.1,0.3333333333333333,-2E-300", lines[0]);
        var back = lines.SelectMany(l => l.Split(',')).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(data.Data, back);
    }

    [Fact]
    public async Task CsvOfOneDimensionIsOneValueALine()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        await CliRunner.RunOkAsync("get", dir.Path, "--select", "5,:", "-o", dir["row.csv"]);
        Assert.Equal(Enumerable.Range(50, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)), File.ReadAllLines(dir["row.csv"]));
    }

    [Fact]
    public async Task CsvQuotesStringsThatNeedIt()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<string>(["plain", "a,b", "say \"hi\""], 3), ZarrDataType.String, 2, [2]);
        await CliRunner.RunOkAsync("get", dir.Path, "-o", dir["s.csv"]);
        Assert.Equal(["plain", "\"a,b\"", "\"say \"\"hi\"\"\""], File.ReadAllLines(dir["s.csv"]));
    }

    [Fact]
    public async Task CsvOfThreeDimensionsIsAUsageError()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<int>(new int[8], 2, 2, 2), ZarrDataType.Int32, 3, [2, 2, 2]);
        var r = await CliRunner.RunAsync("get", dir.Path, "-o", dir["x.csv"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("3 dimensions", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("get", dir.Path, "--select", "1", "-o", dir["x.csv"])).ExitCode);
    }

    [Fact]
    public async Task SelectWithEqualsTakesAValueStartingWithMinus()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<int>(Enumerable.Range(0, 20).ToArray(), 20), ZarrDataType.Int32, 3, [6]);
        await CliRunner.RunOkAsync("get", dir.Path, "--select=-5:", "-o", dir["tail.json"]);
        var o = JsonNode.Parse(File.ReadAllText(dir["tail.json"]))!;
        Assert.Equal([15, 16, 17, 18, 19], o["data"]!.AsArray().Select(x => x!.GetValue<int>()));
        var r = await CliRunner.RunOkAsync("get", dir.Path, "--select=-3:");
        Assert.Contains("values: [17, 18, 19]", r.OutLines);
    }

    [Fact]
    public async Task EllipsisExpandsToTheArraysRank()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<int>(Enumerable.Range(0, 24).ToArray(), 2, 3, 4), ZarrDataType.Int32, 3, [1, 2, 3]);
        await CliRunner.RunOkAsync("get", dir.Path, "--select", "...,1", "-o", dir["e.json"]);
        var o = JsonNode.Parse(File.ReadAllText(dir["e.json"]))!;
        Assert.Equal("[2,3]", o["shape"]!.ToJsonString());
        Assert.Equal([1, 5, 9, 13, 17, 21], o["data"]!.AsArray().Select(x => x!.GetValue<int>()));
    }

    [Fact]
    public async Task SummaryShowsShapeTypeStatisticsAndFirstValues()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 2);
        var r = await CliRunner.RunOkAsync("get", dir.Path);
        Assert.Equal("shape: [12, 10]", r.OutLines[0]);
        Assert.Equal("dtype: float32", r.OutLines[1]);
        Assert.Contains("min: 1", r.OutLines);
        Assert.Contains("max: 119", r.OutLines);
        Assert.Contains("mean: 60", r.OutLines);
        Assert.Contains("nan: 1", r.OutLines);
        Assert.StartsWith("values: [NaN, 1, 2, 3,", r.OutLines[^1], StringComparison.Ordinal);
        Assert.EndsWith("... (100 more)]", r.OutLines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".npy")]
    [InlineData(".json")]
    [InlineData(".csv")]
    public async Task SmallBlocksWriteTheSameFileAsOneBlock(string extension)
    {
        using var dir = new TempFolder();
        var values = Enumerable.Range(0, 7 * 9 * 11).Select(i => (long)i * 3).ToArray();
        await Fixtures.WriteAsync(dir.Path, "", new NDArray<long>(values, 7, 9, 11), ZarrDataType.Int64, 3, [3, 4, 5]);
        var select = extension == ".csv" ? "1:7:2,2,-8:" : "1:7:2,::3,-8:";
        await CliRunner.RunOkAsync("get", dir.Path, "--select", select, "-o", dir["whole" + extension]);
        foreach (var block in new[] { "8", "24", "100", "1000" })
        {
            await CliRunner.RunOkAsync("get", dir.Path, "--select", select, "--block-bytes", block, "-o", dir["blocks" + extension]);
            Assert.Equal(File.ReadAllBytes(dir["whole" + extension]), File.ReadAllBytes(dir["blocks" + extension]));
        }
    }

    [Fact]
    public async Task AFailedReadLeavesNoFileBehind()
    {
        using var dir = new TempFolder();
        await Fixtures.WriteFloatGridAsync(dir.Path, 3);
        File.WriteAllBytes(Path.Combine(dir.Path, "c", "1", "1"), [1, 2, 3]);
        var r = await CliRunner.RunAsync("get", dir.Path, "-o", dir["x.npy"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Equal(["c", "zarr.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
