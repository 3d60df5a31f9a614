using CctvEdge.Server.Storage.Objects;

namespace CctvEdge.Server.Tests;

public sealed class ClipStorageOptionsTests
{
    private readonly ClipStorageOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_FileSystemAndValid()
    {
        var options = new ClipStorageOptions();

        Assert.False(options.UsesS3);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_S3WithBadValues_EveryKeyNamedAndTheSecretNeverShown()
    {
        var options = new ClipStorageOptions
        {
            Provider = "S3",
            S3 = new S3ClipStorageOptions { ServiceUrl = "ftp://store", Bucket = "Clips_Bucket", Region = "", AccessKey = "", SecretKey = "not-this-secret", Prefix = "a/../b" },
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "ClipStorage:S3:ServiceUrl", "ClipStorage:S3:Bucket", "ClipStorage:S3:Region", "ClipStorage:S3:AccessKey", "ClipStorage:S3:Prefix" })
        {
            Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("not-this-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/cctvedge/clips/", "cctvedge/clips/")]
    [InlineData("clips", "clips/")]
    public void KeyPrefix_AnyForm_NoLeadingAndOneTrailingSlash(string prefix, string expected) =>
        Assert.Equal(expected, new S3ClipStorageOptions { Prefix = prefix }.KeyPrefix);
}
