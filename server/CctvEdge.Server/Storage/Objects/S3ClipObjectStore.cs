using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CctvEdge.Server.Storage.Objects;

/// <summary>
/// Clips as objects in an S3-compatible bucket (AWS, MinIO, Garage, s3rver). A put sends Content-MD5, so the service
/// itself refuses bytes that changed on the way, and the answer's ETag is checked against the same digest: the clip
/// row is marked stored only after the bucket holds exactly the verified part file.
/// </summary>
internal sealed class S3ClipObjectStore : IClipObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3ClipObjectStore(S3ClipStorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where S3 requires them: the SDK's default trailing CRC (aws-chunked) is not understood by
            // every S3-compatible service, and Content-MD5 already covers every put.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl.Length > 0)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        _bucket = options.Bucket;
        _prefix = options.KeyPrefix;
        Location = $"s3://{_bucket}/{_prefix}";
    }

    public string Location { get; }

    public bool IsOnClipDisk => false;

    public string? LocalPath(string key) => null;

    public async Task PutAsync(string key, string partPath, CancellationToken cancellationToken)
    {
        var md5 = await Md5Async(partPath, cancellationToken).ConfigureAwait(false);
        var response = await _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = _prefix + key,
                FilePath = partPath,
                ContentType = "video/mp4",
                MD5Digest = Convert.ToBase64String(md5),
                // Signed as one payload: chunked signing is another thing not every compatible service speaks.
                UseChunkEncoding = false,
            },
            cancellationToken).ConfigureAwait(false);
        var etag = response.ETag?.Trim('"');
        if (!string.Equals(etag, Convert.ToHexStringLower(md5), StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"The bucket answered the put of {key} with ETag {etag}, not the MD5 of the bytes sent; the clip is not stored.");
        }

        File.Delete(partPath);
    }

    public async Task<Stream> GetAsync(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + key };
        if (offset > 0 || length is not null)
        {
            // A ranged GET: the service sends only these bytes, so a seek in a long clip costs only what is played.
            request.ByteRange = length is { } count ? new ByteRange(offset, offset + count - 1) : new ByteRange($"bytes={offset}-");
        }

        try
        {
            var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // As a missing file would: callers handle the same exceptions for both stores.
            throw new FileNotFoundException($"No object {key} in {Location}.", key, ex);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException)
        {
            throw new IOException($"Could not read {key} from {Location}: {ex.Message}", ex);
        }
    }

    public async Task<long?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(_bucket, _prefix + key, cancellationToken);

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix };
        do
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.Key.EndsWith(".mp4", StringComparison.Ordinal))
                {
                    yield return item.Key[_prefix.Length..];
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    public void Dispose() => _client.Dispose();

    // MD5 here is S3's integrity check (Content-MD5 and the ETag of a single put), not a security measure.
#pragma warning disable CA5351
    private static async Task<byte[]> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await MD5.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
    }
#pragma warning restore CA5351
}
