namespace Zarr.Cloud.Tests.Storage;

public class ByteRangeTests
{
    [Fact]
    public void DefaultIsAll()
    {
        Assert.Equal(ByteRange.All, default);
        Assert.True(default(ByteRange).IsAll);
        Assert.Null(ByteRange.All.ToHttpHeaderValue());
    }

    [Theory]
    [InlineData(10, 20, "bytes=10-29")]
    [InlineData(0, 1, "bytes=0-0")]
    public void BoundedHeader(long offset, long length, string header) => Assert.Equal(header, ByteRange.Bounded(offset, length).ToHttpHeaderValue());

    [Fact]
    public void OtherHeaders()
    {
        Assert.Equal("bytes=5-", ByteRange.FromOffset(5).ToHttpHeaderValue());
        Assert.Equal("bytes=-16", ByteRange.Suffix(16).ToHttpHeaderValue());
    }

    [Fact]
    public void NegativeArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.Bounded(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.Bounded(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.FromOffset(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.Suffix(-1));
    }

    [Theory]
    [InlineData(10, 2, 3, true, 2, 3)]
    [InlineData(10, 8, 5, true, 8, 2)]
    [InlineData(10, 10, 1, false, 0, 0)]
    [InlineData(10, 10, 0, true, 10, 0)]
    [InlineData(10, 11, 0, false, 0, 0)]
    [InlineData(0, 0, 0, true, 0, 0)]
    [InlineData(0, 0, 1, false, 0, 0)]
    public void ResolveBounded(long total, long offset, long length, bool ok, long start, long count)
    {
        Assert.Equal(ok, ByteRange.Bounded(offset, length).TryResolve(total, out var s, out var n));
        if (ok) Assert.Equal((start, count), (s, n));
    }

    [Theory]
    [InlineData(10, 0, true, 0, 10)]
    [InlineData(10, 9, true, 9, 1)]
    [InlineData(10, 10, false, 0, 0)]
    [InlineData(0, 0, true, 0, 0)]
    [InlineData(0, 1, false, 0, 0)]
    public void ResolveFromOffset(long total, long offset, bool ok, long start, long count)
    {
        Assert.Equal(ok, ByteRange.FromOffset(offset).TryResolve(total, out var s, out var n));
        if (ok) Assert.Equal((start, count), (s, n));
    }

    [Theory]
    [InlineData(10, 3, 7, 3)]
    [InlineData(10, 10, 0, 10)]
    [InlineData(10, 50, 0, 10)]
    [InlineData(0, 5, 0, 0)]
    public void ResolveSuffix(long total, long length, long start, long count)
    {
        Assert.True(ByteRange.Suffix(length).TryResolve(total, out var s, out var n));
        Assert.Equal((start, count), (s, n));
    }
}
