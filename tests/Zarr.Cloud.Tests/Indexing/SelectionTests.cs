namespace Zarr.Cloud.Tests.Indexing;

public class SelectionTests
{
    [Fact]
    public void ParsesSlicesWithSteps()
    {
        var s = Selection.Parse("3:30,::2,-5:");
        Assert.Equal(3, s.Axes.Count);
        Assert.Equal(AxisSelection.Of(new Slice(3, 30)), s.Axes[0]);
        Assert.Equal(AxisSelection.Of(new Slice(null, null, 2)), s.Axes[1]);
        Assert.Equal(AxisSelection.Of(new Slice(-5, null)), s.Axes[2]);
        var r = s.Resolve([100, 10, 8]);
        Assert.Equal(new ResolvedAxis(3, 1, 27, false), r[0]);
        Assert.Equal(new ResolvedAxis(0, 2, 5, false), r[1]);
        Assert.Equal(new ResolvedAxis(3, 1, 5, false), r[2]);
    }

    [Fact]
    public void ParsesIndicesAndWholeAxes()
    {
        var s = Selection.Parse("5,:");
        Assert.Equal([AxisSelection.At(5), AxisSelection.All], s.Axes);
        var r = s.Resolve([10, 4, 3]);
        Assert.Equal(new ResolvedAxis(5, 1, 1, true), r[0]);
        Assert.Equal(new ResolvedAxis(0, 1, 4, false), r[1]);
        Assert.Equal(new ResolvedAxis(0, 1, 3, false), r[2]); // axes not named are whole
    }

    [Fact]
    public void NegativeIndexCountsFromTheEnd()
    {
        var s = Selection.Parse("-1");
        Assert.Equal(new ResolvedAxis(9, 1, 1, true), s.Resolve([10])[0]);
        Assert.Equal(new ResolvedAxis(0, 1, 1, true), Selection.Parse("-10").Resolve([10])[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...")]
    [InlineData("[]")]
    public void EverythingSelections(string text)
    {
        var r = Selection.Parse(text).Resolve([4, 5]);
        Assert.Equal([new ResolvedAxis(0, 1, 4, false), new ResolvedAxis(0, 1, 5, false)], r);
    }

    [Fact]
    public void EllipsisExpandsWithTheRank()
    {
        var s = Selection.Parse("1, ..., 2", rank: 4);
        Assert.Equal([AxisSelection.At(1), AxisSelection.All, AxisSelection.All, AxisSelection.At(2)], s.Axes);
        Assert.Equal([AxisSelection.All, AxisSelection.All, AxisSelection.At(-1)], Selection.Parse("...,-1", 3).Axes);
        Assert.Equal([AxisSelection.At(0)], Selection.Parse("0,...").Axes);
        Assert.Equal([AxisSelection.Of(new Slice(1, 2))], Selection.Parse("[1:2]").Axes);
        Assert.Equal([AxisSelection.Of(new Slice(null, 5))], Selection.Parse(" :5 ").Axes);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("1.5")]
    [InlineData("1:2:3:4")]
    [InlineData("1,,2")]
    [InlineData("1,")]
    [InlineData("::0")]
    [InlineData("::-1")]
    [InlineData("1:b")]
    [InlineData("x:2")]
    [InlineData("1:2:z")]
    [InlineData("...,...")]
    [InlineData("99999999999999999999")]
    [InlineData("..., 1")]
    [InlineData("1, ..., 2")]
    public void BadText(string text) => Assert.Throws<FormatException>(() => Selection.Parse(text));

    [Fact]
    public void EllipsisWithMoreAxesThanTheRank() => Assert.Throws<FormatException>(() => Selection.Parse("1,2,...,3", rank: 2));

    [Fact]
    public void MoreAxesThanTheArrayIsAnArgumentError() => Assert.ThrowsAny<ArgumentException>(() => Selection.Parse("1,2,3").Resolve([5, 5]));

    // ------------------------------------------------------------------ C# indices and ranges

    [Fact]
    public void CSharpRanges()
    {
        ResolvedAxis R(AxisSelection a, long length = 20) => a.Resolve(length, 0);
        Assert.Equal(new ResolvedAxis(15, 1, 5, false), R(^5..));
        Assert.Equal(new ResolvedAxis(0, 1, 19, false), R(..^1));
        Assert.Equal(new ResolvedAxis(0, 1, 10, false), R(0..10));
        Assert.Equal(new ResolvedAxis(3, 1, 4, false), R(3..7));
        Assert.Equal(new ResolvedAxis(0, 1, 20, false), R(..));
        Assert.Equal(new ResolvedAxis(0, 1, 20, false), R(..^0));
        Assert.Equal(0, R(^0..).Count);
        Assert.Equal(0, R(7..3).Count);
        Assert.Equal(new ResolvedAxis(0, 1, 20, false), R(^50..)); // clamped, as NumPy slices are
        Assert.Equal(new ResolvedAxis(5, 1, 15, false), R(5..100));
    }

    [Fact]
    public void CSharpIndices()
    {
        Assert.Equal(new ResolvedAxis(19, 1, 1, true), ((AxisSelection)(^1)).Resolve(20, 0));
        Assert.Equal(new ResolvedAxis(0, 1, 1, true), ((AxisSelection)(^20)).Resolve(20, 0));
        Assert.Equal(new ResolvedAxis(7, 1, 1, true), ((AxisSelection)new Index(7)).Resolve(20, 0));
        Assert.Equal("^3", ((AxisSelection)(^3)).ToString());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(-21)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void IndexOutOfBounds(long index)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AxisSelection.At(index).Resolve(20, 2));
        Assert.Contains("axis 2", e.Message);
    }

    [Fact]
    public void FromEndIndicesOutOfBounds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((AxisSelection)(^0)).Resolve(20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((AxisSelection)(^21)).Resolve(20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisSelection.At(0).Resolve(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Selection(5, ^30).Resolve([10, 20]));
    }

    [Fact]
    public void StepsMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisSelection.Of(new Slice(0, 10, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => (AxisSelection)new Slice(0, 10, -1));
    }

    /// <summary>NumPy's slice semantics, by enumeration: the indices of range(len) that a[start:stop:step] takes.</summary>
    private static List<long> NumpyIndices(long length, long? start, long? stop, long step)
    {
        long Norm(long? v, long dflt) => v is null ? dflt : v < 0 ? Math.Max(0, length + v.Value) : Math.Min(v.Value, length);
        long s = Norm(start, 0), e = Norm(stop, length);
        var r = new List<long>();
        for (long i = 0; i < length; i++) if (i >= s && i < e && (i - s) % step == 0) r.Add(i);
        return r;
    }

    [Fact]
    public void RandomSlicesMatchNumpySemantics()
    {
        var rng = new Random(1234);
        for (int n = 0; n < 3000; n++)
        {
            long length = rng.Next(0, 30);
            long? start = rng.Next(4) == 0 ? null : rng.Next(-40, 40);
            long? stop = rng.Next(4) == 0 ? null : rng.Next(-40, 40);
            long step = rng.Next(1, 8);
            var r = AxisSelection.Of(new Slice(start, stop, step)).Resolve(length, 0);
            var expected = NumpyIndices(length, start, stop, step);
            var got = Enumerable.Range(0, (int)r.Count).Select(k => r.Start + k * r.Step).ToList();
            Assert.True(expected.SequenceEqual(got), $"[{start}:{stop}:{step}] of {length}: expected [{string.Join(",", expected)}], got [{string.Join(",", got)}]");
            Assert.All(got, i => Assert.InRange(i, 0, length - 1));
        }
    }

    [Fact]
    public void ToStringIsParseable()
    {
        var s = Selection.Parse("3:30,::2,-5:,7");
        Assert.Equal(s.Axes, Selection.Parse(s.ToString()).Axes);
    }
}
