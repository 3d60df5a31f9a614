using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using CctvEdge.Server.Storage.Objects;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CctvEdge.Server.Tests;

/// <summary>
/// Clips in an S3 bucket (ClipStorage:Provider=s3) against a real S3 API: s3rver on 127.0.0.1. Uploads, playback
/// with ranges, export and retention must behave as with the clips directory.
/// </summary>
public sealed class S3ClipStoreTests : IAsyncLifetime
{
    private const string Prefix = "farm-a/clips";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly byte[] _clip = RandomNumberGenerator.GetBytes(300_000);
    private S3rverServer _s3 = null!;
    private InProcessServer _server = null!;
    private NodeSessionClient _node = null!;
    private ClipUploadClient _uploads = null!;

    private ClipStore Store => _server.Services.GetRequiredService<ClipStore>();

    public async Task InitializeAsync()
    {
        _s3 = await S3rverServer.StartAsync();
        _server = await InProcessServer.StartAsync([.. _s3.ServerArguments(Prefix), "--Retention:MaxAgeDays", "1", "--Retention:MinFreeGigabytes", "1000"]);
        _node = new NodeSessionClient(_server.Client);
        await _node.ConnectAsync(NodeSessionClient.Hello());
        _uploads = new ClipUploadClient(_node, new ClipService.ClipServiceClient(_server.Channel));
    }

    public async Task DisposeAsync()
    {
        _node.Dispose();
        await _server.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task Upload_ToS3_RowStoredOnlyWithTheVerifiedObjectAndNoLocalFileLeft()
    {
        await _uploads.AnnounceAsync("s1", _clip);

        var receipt = await _uploads.UploadAsync("s1", _clip, from: 0);

        Assert.False(receipt.AlreadyStored);
        var row = (await Store.FindAsync("s1", CancellationToken.None))!;
        Assert.True(row.IsStored);
        Assert.Equal("barn/yard/2026-11-21/s1.mp4", row.Path);
        Assert.IsType<S3ClipObjectStore>(Store.Objects);
        Assert.Equal($"s3://{S3rverServer.Bucket}/{Prefix}/", Store.Objects.Location);
        Assert.Equal(_clip.Length, await Store.Objects.HeadAsync(row.Path!, CancellationToken.None));
        Assert.Equal(_clip, await ReadAllAsync(row.Path!));
        Assert.Empty(Directory.EnumerateFiles(Store.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_BytesDifferFromAnnouncedHash_DataLossNoObjectNoStoredRow()
    {
        var other = (byte[])_clip.Clone();
        other[^1] ^= 1;
        await _uploads.AnnounceAsync("s2", _clip);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _uploads.UploadAsync("s2", other, from: 0));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.False((await Store.FindAsync("s2", CancellationToken.None))!.IsStored);
        Assert.Empty(await Store.Objects.ListAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Upload_SameClipAgain_AlreadyStoredAndOneObject()
    {
        await _uploads.AnnounceAsync("s3", _clip);
        await _uploads.UploadAsync("s3", _clip, from: 0);

        var again = await _uploads.UploadAsync("s3", _clip, from: 0);

        Assert.True(again.AlreadyStored);
        Assert.Equal(["barn/yard/2026-11-21/s3.mp4"], await Store.Objects.ListAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Upload_BucketUnreachable_UnavailableAndTheNextTryOnlyPuts()
    {
        await _uploads.AnnounceAsync("s4", _clip);
        await _s3.StopAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => _uploads.UploadAsync("s4", _clip, from: 0));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.False((await Store.FindAsync("s4", CancellationToken.None))!.IsStored);
        var held = await _uploads.Clips.GetUploadOffsetAsync(new ClipRef { ClipId = "s4" }, ClipUploadClient.Identity()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal((ulong)_clip.Length, held.Offset);

        await _s3.StartAgainAsync();
        var receipt = await _uploads.UploadAsync("s4", _clip, from: (int)held.Offset);

        Assert.False(receipt.AlreadyStored);
        Assert.True((await Store.FindAsync("s4", CancellationToken.None))!.IsStored);
        Assert.Equal(_clip, await ReadAllAsync("barn/yard/2026-11-21/s4.mp4"));
    }

    [Theory]
    [InlineData(0L, 99L, 0, 100)]
    [InlineData(100L, null, 100, 300_000 - 100)]
    [InlineData(null, 500L, 300_000 - 500, 500)]
    [InlineData(123_456L, 123_456L, 123_456, 1)]
    [InlineData(299_000L, 400_000L, 299_000, 1000)]
    public async Task Playback_RangeRequest_PartialContentEqualToTheOriginalBytes(long? from, long? to, int start, int length)
    {
        await StoreUploadedAsync("p1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/clips/p1.mp4");
        request.Headers.Range = new RangeHeaderValue(from, to);

        using var response = await _server.Http.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {start}-{start + length - 1}/{_clip.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(_clip.AsSpan(start, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Playback_NoRangeDownloadOrRangePastTheEnd_WholeClipAttachmentOr416()
    {
        await StoreUploadedAsync("p2");

        using var whole = await _server.Http.GetAsync("/media/clips/p2.mp4?download=true").WaitAsync(Timeout);
        using var past = new HttpRequestMessage(HttpMethod.Get, "/media/clips/p2.mp4") { Headers = { Range = new RangeHeaderValue(_clip.Length, null) } };
        using var unsatisfiable = await _server.Http.SendAsync(past).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal("p2.mp4", whole.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal(_clip, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal($"bytes */{_clip.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Export_ClipsInTheBucket_ZipWithVerifiedBytes()
    {
        await StoreUploadedAsync("e1");
        var url = new ExportSelection([new CameraKey("barn", "yard")], ClipUploadClient.T0, ClipUploadClient.T0.AddMinutes(1)).ZipUrl;

        using var response = await _server.Http.GetAsync(url).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        await using var entry = await zip.GetEntry("barn/yard/2026-11-21/e1.mp4")!.OpenAsync();
        using var copy = new MemoryStream();
        await entry.CopyToAsync(copy);
        Assert.Equal(_clip, copy.ToArray());
    }

    [Fact]
    public async Task Retention_OldClip_ObjectDeletedAndTheDiskFloorNotAppliedToTheBucket()
    {
        var old = await ClipFixtures.StoreAsync(_server, "old", DateTimeOffset.UtcNow.AddDays(-3));
        var recent = await ClipFixtures.StoreAsync(_server, "recent", DateTimeOffset.UtcNow.AddHours(-1));
        Store.FreeBytes = () => 0;

        var deleted = await RetentionAsync();

        Assert.Equal(1, deleted);
        Assert.Equal(["recent"], await ClipFixtures.StoredIdsAsync(_server));
        Assert.Null(await Store.Objects.HeadAsync(old.Path!, CancellationToken.None));
        Assert.Equal(recent.Size, await Store.Objects.HeadAsync(recent.Path!, CancellationToken.None));
    }

    [Fact]
    public async Task Retention_BucketUnreachable_RowGoesDeleteRetriedNextPass()
    {
        var old = await ClipFixtures.StoreAsync(_server, "old", DateTimeOffset.UtcNow.AddDays(-3));
        await _s3.StopAsync();

        await RetentionAsync();

        Assert.Empty(await ClipFixtures.StoredIdsAsync(_server));
        Assert.Equal(1, Store.FailedDeletes);

        await _s3.StartAgainAsync();
        await RetentionAsync();

        Assert.Equal(0, Store.FailedDeletes);
        Assert.Null(await Store.Objects.HeadAsync(old.Path!, CancellationToken.None));
    }

    [Fact]
    public async Task SweepOrphans_ObjectNoRowNames_Removed()
    {
        var kept = await ClipFixtures.StoreAsync(_server, "kept", DateTimeOffset.UtcNow);
        var part = Path.Combine(Store.UploadsDirectory, "stray.part");
        await File.WriteAllBytesAsync(part, [1, 2, 3]);
        await Store.Objects.PutAsync("barn/yard/2026-11-21/stray.mp4", part, CancellationToken.None);

        var removed = await Store.SweepOrphansAsync(CancellationToken.None);

        Assert.Equal(["barn/yard/2026-11-21/stray.mp4"], removed);
        Assert.Equal([kept.Path!], await Store.Objects.ListAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task LocalCopy_ClipInTheBucket_TemporaryFileWithItsBytesGoneOnDispose()
    {
        await StoreUploadedAsync("l1");
        var key = (await Store.FindAsync("l1", CancellationToken.None))!.Path!;

        string path;
        await using (var local = await Store.LocalCopyAsync(key, CancellationToken.None))
        {
            path = local.Path;
            Assert.StartsWith(Store.UploadsDirectory, path, StringComparison.Ordinal);
            Assert.Equal(_clip, await File.ReadAllBytesAsync(path));
        }

        Assert.False(File.Exists(path));
    }

    private async Task StoreUploadedAsync(string id)
    {
        await _uploads.AnnounceAsync(id, _clip);
        await _uploads.UploadAsync(id, _clip, from: 0);
    }

    private async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Store.Objects.GetAsync(key, 0, null, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private Task<int> RetentionAsync() =>
        _server.Services.GetServices<IHostedService>().OfType<RetentionService>().Single().RunOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
}
