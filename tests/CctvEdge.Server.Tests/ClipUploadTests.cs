using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Storage;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CctvEdge.Server.Tests;

public sealed class ClipUploadTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly byte[] _clip = RandomNumberGenerator.GetBytes(700_000);
    private InProcessServer _server = null!;
    private NodeSessionClient _node = null!;
    private ClipService.ClipServiceClient _clips = null!;
    private ClipUploadClient _uploads = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync();
        _node = new NodeSessionClient(_server.Client);
        await _node.ConnectAsync(NodeSessionClient.Hello());
        _clips = new ClipService.ClipServiceClient(_server.Channel);
        _uploads = new ClipUploadClient(_node, _clips);
    }

    public async Task DisposeAsync()
    {
        _node.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Upload_AnnouncedClip_StoredAndServedWithRangeRequests()
    {
        await AnnounceAsync("c1", _clip);

        var receipt = await UploadAsync("c1", _clip, from: 0);

        Assert.False(receipt.AlreadyStored);
        Assert.Equal(SHA256.HashData(_clip), receipt.Sha256.ToByteArray());
        var stored = (await _server.Services.GetRequiredService<ClipStore>().FindAsync("c1", CancellationToken.None))!;
        Assert.True(stored.IsStored);
        Assert.StartsWith(Path.Combine("barn", "yard", "2026-11-21"), stored.Path, StringComparison.Ordinal);
        // The default clip storage is still the clips directory in the data folder.
        Assert.Equal(_clip, await File.ReadAllBytesAsync(Path.Combine(_server.DataDirectory, "clips", stored.Path!)));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/clips/c1.mp4");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_clip[1000..2000], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?download=false", null)]
    [InlineData("?download=true", "c7.mp4")]
    [InlineData("?download=1", "c7.mp4")]
    public async Task Download_AskedAsTrueOrOne_SavedUnderItsName(string query, string? fileName)
    {
        await AnnounceAsync("c7", _clip);
        await UploadAsync("c7", _clip, from: 0);

        using var response = await _server.Http.GetAsync($"/media/clips/c7.mp4{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName);
        using var bad = await _server.Http.GetAsync("/media/clips/c7.mp4?download=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Upload_InterruptedThenResumed_ServerReportsItsOffsetAndStoresTheWhole()
    {
        await AnnounceAsync("c2", _clip);

        // First attempt: three chunks, then the node stops early (as a node does when it is shut down mid-upload).
        // A dropped link is the end-to-end fault tests' business; here the server must keep what it received.
        using (var call = _clips.Upload(Identity()))
        {
            await call.RequestStream.WriteAsync(Header("c2", 0)).WaitAsync(Timeout);
            for (var offset = 0; offset < 3 * 65536; offset += 65536)
            {
                await call.RequestStream.WriteAsync(Chunk(_clip, offset, 65536)).WaitAsync(Timeout);
            }

            await call.RequestStream.CompleteAsync();
            var early = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));
            Assert.Equal(StatusCode.Aborted, early.StatusCode);
        }

        var held = await _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c2" }, Identity()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(3UL * 65536, held.Offset);
        Assert.False(held.Complete);

        await UploadAsync("c2", _clip, from: (int)held.Offset);

        var done = await _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c2" }, Identity()).ResponseAsync.WaitAsync(Timeout);
        Assert.True(done.Complete);
        Assert.Equal(_clip, await _server.Http.GetByteArrayAsync("/media/clips/c2.mp4"));
    }

    [Fact]
    public async Task Upload_ChunkCorruptedInTransit_DataLossAndNothingOfItWritten()
    {
        await AnnounceAsync("c3", _clip);
        using var call = _clips.Upload(Identity());
        await call.RequestStream.WriteAsync(Header("c3", 0)).WaitAsync(Timeout);
        await call.RequestStream.WriteAsync(Chunk(_clip, 0, 65536)).WaitAsync(Timeout);
        var bad = Chunk(_clip, 65536, 65536);
        var flipped = bad.Data.Data.ToByteArray();
        flipped[100] ^= 0xFF;
        bad.Data.Data = ByteString.CopyFrom(flipped);
        await call.RequestStream.WriteAsync(bad).WaitAsync(Timeout);

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        var offset = await _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c3" }, Identity()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(65536UL, offset.Offset);
        await UploadAsync("c3", _clip, from: 65536);
        Assert.Equal(_clip, await _server.Http.GetByteArrayAsync("/media/clips/c3.mp4"));
    }

    [Fact]
    public async Task Upload_BytesDifferFromAnnouncedHash_DataLossAndPartialDiscarded()
    {
        var other = (byte[])_clip.Clone();
        other[^1] ^= 1;
        await AnnounceAsync("c4", _clip);

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("c4", other, from: 0));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Equal(0UL, (await _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c4" }, Identity()).ResponseAsync.WaitAsync(Timeout)).Offset);
    }

    [Fact]
    public async Task Upload_ClipDiskFull_ResourceExhaustedThenAcceptedOnceSpaceIsFree()
    {
        await AnnounceAsync("c5", _clip);
        var store = _server.Services.GetRequiredService<ClipStore>();
        var realFree = store.FreeBytes;
        store.FreeBytes = () => 1000;

        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("c5", _clip, from: 0));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("clip store has 1000 bytes free", ex.Status.Detail, StringComparison.Ordinal);

        store.FreeBytes = realFree;
        await UploadAsync("c5", _clip, from: 0);
        Assert.True((await store.FindAsync("c5", CancellationToken.None))!.IsStored);
    }

    [Fact]
    public async Task Upload_SameClipAgain_AlreadyStoredReceipt()
    {
        await AnnounceAsync("c6", _clip);
        await UploadAsync("c6", _clip, from: 0);

        var again = await UploadAsync("c6", _clip, from: 0);

        Assert.True(again.AlreadyStored);
    }

    [Fact]
    public async Task Upload_NeverAnnounced_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => UploadAsync("ghost", _clip, from: 0));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Upload_AnotherNodesClip_PermissionDenied()
    {
        await AnnounceAsync("c7", _clip);
        using var thief = new NodeSessionClient(_server.Client);
        await thief.ConnectAsync(NodeSessionClient.Hello("fox"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c7" }, Identity("fox")).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task Upload_NoNodeIdentity_InvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _clips.GetUploadOffsetAsync(new ClipRef { ClipId = "c1" }, default).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    private static CallOptions Identity(string node = "barn") => ClipUploadClient.Identity(node);

    private static ClipChunk Header(string id, ulong offset) => ClipUploadClient.Header(id, offset);

    private static ClipChunk Chunk(byte[] clip, int offset, int length) => ClipUploadClient.Chunk(clip, offset, length);

    private Task AnnounceAsync(string id, byte[] clip) => _uploads.AnnounceAsync(id, clip);

    private Task<UploadReceipt> UploadAsync(string id, byte[] clip, int from) => _uploads.UploadAsync(id, clip, from);
}
