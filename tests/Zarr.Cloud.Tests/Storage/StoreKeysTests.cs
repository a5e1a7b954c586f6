namespace Zarr.Cloud.Tests.Storage;

public class StoreKeysTests
{
    [Theory]
    [InlineData("a", "a")]
    [InlineData("/a/b/", "a/b")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData(null, "")]
    public void NormalizePathTrimsSlashes(string? path, string expected) => Assert.Equal(expected, StoreKeys.NormalizePath(path));

    [Theory]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("C:/x")]
    public void NormalizePathRejectsBadPaths(string path) => Assert.ThrowsAny<ArgumentException>(() => StoreKeys.NormalizePath(path));

    [Fact]
    public void JoinSkipsEmptyPartsAndStraySlashes()
    {
        Assert.Equal("a/b/zarr.json", StoreKeys.Join("a/", "/b", "zarr.json"));
        Assert.Equal("zarr.json", StoreKeys.Join("", "zarr.json"));
        Assert.Equal("", StoreKeys.Join("", "/"));
    }

    [Fact]
    public void EmptyKeyIsAllowedOnlyWhenAsked()
    {
        Assert.ThrowsAny<ArgumentException>(() => StoreKeys.Validate(""));
        StoreKeys.Validate("", allowEmpty: true);
        Assert.Throws<ArgumentNullException>(() => StoreKeys.Validate(null!));
        Assert.ThrowsAny<ArgumentException>(() => StoreKeys.Validate("a\0b"));
    }
}
