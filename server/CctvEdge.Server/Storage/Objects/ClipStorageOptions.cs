using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Storage.Objects;

/// <summary>
/// The <c>ClipStorage</c> section: where verified clips are kept. <c>filesystem</c> (the default) keeps them under
/// <c>Server:ClipsDirectory</c>; <c>s3</c> puts them in an S3-compatible bucket, while uploads in progress still grow on
/// the local clip disk.
/// </summary>
internal sealed class ClipStorageOptions
{
    public const string Section = "ClipStorage";
    public const string FileSystem = "filesystem";
    public const string S3Provider = "s3";

    public string Provider { get; set; } = FileSystem;

    public S3ClipStorageOptions S3 { get; set; } = new();

    public bool UsesS3 => string.Equals(Provider, S3Provider, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>ClipStorage:S3</c>. The keys are secrets: give them by environment (CCTVEDGE_ClipStorage__S3__SecretKey), not in a committed file.</summary>
internal sealed class S3ClipStorageOptions
{
    /// <summary>The endpoint of an S3-compatible service (MinIO, Garage, s3rver...); empty for AWS itself, by <see cref="Region"/>.</summary>
    public string ServiceUrl { get; set; } = "";

    public string Bucket { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Put before every key, e.g. <c>cctvedge/clips</c>, so one bucket can hold more than clips.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>bucket in the path (host/bucket/key) rather than in the host name: what most self-hosted services expect.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The prefix as keys start with it: empty, or without leading slash and with one trailing slash.</summary>
    public string KeyPrefix => Prefix.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : "";
}

/// <summary>Every bad key at once, each message naming it; a secret's value never appears in a message.</summary>
internal sealed class ClipStorageOptionsValidator : IValidateOptions<ClipStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, ClipStorageOptions options)
    {
        var errors = new List<string>();
        if (!options.UsesS3 && !string.Equals(options.Provider, ClipStorageOptions.FileSystem, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"ClipStorage:Provider must be '{ClipStorageOptions.FileSystem}' or '{ClipStorageOptions.S3Provider}' (was '{options.Provider}').");
        }

        if (options.UsesS3)
        {
            ValidateS3(options.S3, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateS3(S3ClipStorageOptions s3, List<string> errors)
    {
        if (s3.ServiceUrl.Length > 0 && !(Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            errors.Add($"ClipStorage:S3:ServiceUrl must be an http:// or https:// address (was '{s3.ServiceUrl}').");
        }

        // S3's bucket naming rules, so a typo fails at start rather than on the first clip.
        if (s3.Bucket.Length is < 3 or > 63 || !s3.Bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
            || !char.IsAsciiLetterOrDigit(s3.Bucket[0]) || !char.IsAsciiLetterOrDigit(s3.Bucket[^1]))
        {
            errors.Add($"ClipStorage:S3:Bucket must be an S3 bucket name: 3 to 63 lower-case letters, digits, '-' or '.' (was '{s3.Bucket}').");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add("ClipStorage:S3:Region is required (e.g. us-east-1; self-hosted services usually accept that one).");
        }

        if (string.IsNullOrWhiteSpace(s3.AccessKey))
        {
            errors.Add("ClipStorage:S3:AccessKey is required when ClipStorage:Provider is s3.");
        }

        if (string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            errors.Add("ClipStorage:S3:SecretKey is required when ClipStorage:Provider is s3 (give it by environment: CCTVEDGE_ClipStorage__S3__SecretKey).");
        }

        if (s3.Prefix.Contains('\\', StringComparison.Ordinal) || s3.Prefix.Split('/').Any(p => p is "." or ".."))
        {
            errors.Add($"ClipStorage:S3:Prefix must be '/'-separated names without '.' or '..' (was '{s3.Prefix}').");
        }
    }
}
