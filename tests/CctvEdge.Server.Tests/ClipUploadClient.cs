using System.Security.Cryptography;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CctvEdge.Server.Tests;

/// <summary>A node's side of a clip: announced in a result batch, then uploaded in 64 KiB chunks, as the node's uploader does.</summary>
internal sealed class ClipUploadClient(NodeSessionClient node, ClipService.ClipServiceClient clips)
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public ClipService.ClipServiceClient Clips => clips;

    public static CallOptions Identity(string node = "barn") => new(new Metadata { { ClipService.NodeIdHeader, node } });

    public static ClipChunk Header(string id, ulong offset) => new() { Header = new ClipUploadHeader { ClipId = id, Offset = offset } };

    public static ClipChunk Chunk(byte[] clip, int offset, int length)
    {
        var data = clip.AsSpan(offset, Math.Min(length, clip.Length - offset));
        return new ClipChunk { Data = new ClipData { Offset = (ulong)offset, Data = ByteString.CopyFrom(data), Crc32C = Protocol.Crc32C.Compute(data) } };
    }

    /// <summary>Announces <paramref name="clip"/> (its size and sha256) as camera yard's, starting at <see cref="T0"/>.</summary>
    public async Task AnnounceAsync(string id, byte[] clip)
    {
        var sequence = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
        var result = new Result
        {
            Sequence = sequence,
            CameraId = "yard",
            PluginId = "recording",
            Clip = new ClipInfo { ClipId = id, Start = Timestamp.FromDateTimeOffset(T0), End = Timestamp.FromDateTimeOffset(T0.AddSeconds(10)), Size = (ulong)clip.Length, Sha256 = ByteString.CopyFrom(SHA256.HashData(clip)), Reason = "motion" },
        };
        Assert.Equal(sequence, await node.SendBatchAsync(result));
    }

    public async Task<UploadReceipt> UploadAsync(string id, byte[] clip, int from)
    {
        using var call = clips.Upload(Identity());
        await call.RequestStream.WriteAsync(Header(id, (ulong)from)).WaitAsync(Timeout);
        try
        {
            for (var offset = from; offset < clip.Length; offset += 65536)
            {
                await call.RequestStream.WriteAsync(Chunk(clip, offset, 65536)).WaitAsync(Timeout);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // The server ended the call early (a refusal, or "already stored"); its status is in the response.
        }

        return await call.ResponseAsync.WaitAsync(Timeout);
    }
}
