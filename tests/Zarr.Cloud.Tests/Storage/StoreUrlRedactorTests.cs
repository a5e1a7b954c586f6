using Zarr.Cloud.Storage;

namespace Zarr.Cloud.Tests.Storage;

public sealed class StoreUrlRedactorTests
{
    // A recognisable secret: if it shows up anywhere, a test fails.
    private const string Secret = "S3CR3T-zq9XyW7vU5";

    public static TheoryData<string> TextsWithTheSecret => new()
    {
        $"https://acct.blob.core.windows.net/c/data.zarr?sv=2022-11-02&se=2030-01-01&sr=c&sp=rl&sig={Secret}",
        $"https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={Secret}&X-Amz-Signature={Secret}&X-Amz-Security-Token={Secret}",
        $"https://storage.googleapis.com/b/o?X-Goog-Signature={Secret}&X-Goog-Credential={Secret}",
        $"https://host/p?token={Secret}",
        $"https://host/p?access_token={Secret}&x=1",
        $"https://host/p?key={Secret}",
        $"https://host/p?api_key={Secret}",
        $"https://host/p?SIG={Secret}",
        $"https://host/p?sig%3D{Secret}",
        $"https://user:{Secret}@host/p",
        $"Authorization: Bearer {Secret}",
        $"authorization={Secret}",
        $"request failed (Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20300101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature={Secret})",
        $"header Bearer {Secret} was rejected",
        $"x-amz-security-token: {Secret}",
        $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Secret};EndpointSuffix=core.windows.net",
        $"BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022&sig={Secret}",
        $"GET https://host/a?sig={Secret} answered 403, then GET https://host/b?sig={Secret} too",
    };

    [Theory]
    [MemberData(nameof(TextsWithTheSecret))]
    public void TheSecretNeverSurvives(string text)
    {
        var redacted = StoreUrlRedactor.Redact(text);
        Assert.DoesNotContain(Secret, redacted);
        Assert.Contains(StoreUrlRedactor.Placeholder, redacted);
    }

    [Fact]
    public void WhatIsNotSecretIsKept()
    {
        var url = $"https://acct.blob.core.windows.net/c/data.zarr/arr/c/0?sv=2022-11-02&se=2030-01-01&sig={Secret}&comp=list";
        Assert.Equal("https://acct.blob.core.windows.net/c/data.zarr/arr/c/0?sv=2022-11-02&se=2030-01-01&sig=REDACTED&comp=list", StoreUrlRedactor.Redact(url));
        Assert.Equal("https://example.com/data.zarr/.zmetadata", StoreUrlRedactor.Redact("https://example.com/data.zarr/.zmetadata"));
        Assert.Equal("s3 store, key 'arr/c/0': range [0, 10) starts past the end", StoreUrlRedactor.Redact("s3 store, key 'arr/c/0': range [0, 10) starts past the end"));
    }

    [Fact]
    public void UrisAndNullsAreHandled()
    {
        Assert.Equal("", StoreUrlRedactor.Redact((string?)null));
        Assert.Equal("", StoreUrlRedactor.Redact((Uri?)null));
        Assert.DoesNotContain(Secret, StoreUrlRedactor.Redact(new Uri($"https://u:{Secret}@h/p?sig={Secret}")));
    }
}
