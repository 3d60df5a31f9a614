using System.Collections.Concurrent;
using CctvEdge.Protocol;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Live;
using CctvEdge.Server.Metrics;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Sessions;

/// <summary>
/// The server side of <c>cctvedge.v1.ClipService</c>: resumable, verified clip uploads. Chunks are checked (CRC-32C)
/// before they touch the part file; the whole file's sha256 is checked before the clip is committed.
/// </summary>
internal sealed partial class ClipUploadService(
    ClipStore store,
    NodeAuthenticator authenticator,
    ChangeFeed changes,
    ServerMetrics metrics,
    IEnumerable<IClipListener> listeners,
    ILogger<ClipUploadService> logger) : ClipService.ClipServiceBase
{
    private readonly ConcurrentDictionary<string, byte> _uploading = new(StringComparer.Ordinal);

    /// <summary>Uploads refused because the clip disk was full, since start.</summary>
    public long RefusedForSpace => Interlocked.Read(ref _refusedForSpace);

    private long _refusedForSpace;

    public override async Task<UploadOffset> GetUploadOffset(ClipRef request, ServerCallContext context)
    {
        var clip = await FindOwnClipAsync(await authenticator.AuthenticateAsync(context).ConfigureAwait(false), request.ClipId, context.CancellationToken).ConfigureAwait(false);
        if (clip.IsStored)
        {
            return new UploadOffset { Offset = (ulong)clip.Size, Complete = true };
        }

        var part = new FileInfo(store.PartPath(clip.Id));
        return new UploadOffset { Offset = part.Exists ? (ulong)part.Length : 0 };
    }

    public override async Task<UploadReceipt> Upload(IAsyncStreamReader<ClipChunk> requestStream, ServerCallContext context)
    {
        var nodeId = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false) || requestStream.Current.BodyCase != ClipChunk.BodyOneofCase.Header)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "An upload starts with a header."));
        }

        var header = requestStream.Current.Header;
        var clip = await FindOwnClipAsync(nodeId, header.ClipId, token).ConfigureAwait(false);
        if (clip.IsStored)
        {
            return Receipt(clip, alreadyStored: true);
        }

        if (!_uploading.TryAdd(clip.Id, 0))
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"Clip {clip.Id} is being uploaded by another call."));
        }

        try
        {
            await ReceiveAsync(clip, header.Offset, requestStream, token).ConfigureAwait(false);
        }
        finally
        {
            _uploading.TryRemove(clip.Id, out _);
        }

        changes.Publish(new LiveChange(LiveChangeKind.Event, nodeId, clip.CameraId));
        foreach (var listener in listeners)
        {
            listener.OnClipStored(clip);
        }

        metrics.ClipStored(nodeId, clip.Size);
        LogStored(logger, clip.Id, nodeId, clip.Size, header.Offset);
        return Receipt(clip, alreadyStored: false);
    }

    private async Task ReceiveAsync(ClipRow clip, ulong offset, IAsyncStreamReader<ClipChunk> chunks, CancellationToken token)
    {
        var partPath = store.PartPath(clip.Id);
        Directory.CreateDirectory(store.UploadsDirectory);
        await using var part = await PartFile.OpenAsync(partPath, token).ConfigureAwait(false);
        if ((ulong)part.Held != offset || part.Held > clip.Size)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"The server holds {part.Held} bytes of clip {clip.Id}; resume from there."));
        }

        var needed = clip.Size - part.Held;
        var free = store.FreeBytes();
        if (free - needed < store.MinFreeBytes)
        {
            Interlocked.Increment(ref _refusedForSpace);
            LogNoSpace(logger, clip.Id, needed, free, store.MinFreeBytes);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"The clip store has {free} bytes free; clip {clip.Id} needs {needed} more and the floor is {store.MinFreeBytes}."));
        }

        long length;
        try
        {
            try
            {
                while (part.Received < clip.Size && await chunks.MoveNext(token).ConfigureAwait(false))
                {
                    var data = Verified(clip, part.Received, chunks.Current);
                    await part.AppendAsync(data, token).ConfigureAwait(false);
                }
            }
            finally
            {
                // Whatever arrived (and was verified) stays, fsynced, for the next call to resume from.
                length = await part.FinishAsync().ConfigureAwait(false);
            }
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            Interlocked.Increment(ref _refusedForSpace);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"The clip disk filled up while receiving clip {clip.Id}."));
        }

        if (length < clip.Size)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"The upload of clip {clip.Id} ended at {length} of {clip.Size} bytes; resume from there."));
        }

        if (!part.Sha256().AsSpan().SequenceEqual(clip.Sha256))
        {
            await part.DisposeAsync().ConfigureAwait(false);
            File.Delete(partPath);
            LogHashMismatch(logger, clip.Id);
            throw new RpcException(new Status(StatusCode.DataLoss, $"Clip {clip.Id} does not match its sha256; upload it again from the start."));
        }

        await part.DisposeAsync().ConfigureAwait(false);
        try
        {
            await store.CommitAsync(clip, partPath, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or RpcException) && !store.Objects.IsOnClipDisk)
        {
            // The bucket did not take it (unreachable, refused): the verified part stays, so the node's next try
            // resumes at its end and only the put is done again.
            LogPutFailed(logger, clip.Id, store.Objects.Location, ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"The clip store could not take clip {clip.Id} yet; try again."));
        }
    }

    /// <summary>A data chunk's bytes, once its place and CRC-32C check out; otherwise the status that ends the upload.</summary>
    private ReadOnlyMemory<byte> Verified(ClipRow clip, long received, ClipChunk chunk)
    {
        if (chunk.BodyCase != ClipChunk.BodyOneofCase.Data)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Only data chunks may follow the header."));
        }

        var data = chunk.Data;
        if (data.Offset != (ulong)received)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Chunk at offset {data.Offset}, but the server holds {received} bytes of clip {clip.Id}."));
        }

        if (received + data.Data.Length > clip.Size)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Clip {clip.Id} was announced with {clip.Size} bytes; the upload sends more."));
        }

        if (Crc32C.Compute(data.Data.Span) != data.Crc32C)
        {
            LogChunkCorrupt(logger, clip.Id, data.Offset);
            throw new RpcException(new Status(StatusCode.DataLoss, $"The chunk at offset {data.Offset} of clip {clip.Id} failed its CRC-32C; it was not written. Resume from {received}."));
        }

        return data.Data.Memory;
    }

    private async Task<ClipRow> FindOwnClipAsync(string nodeId, string clipId, CancellationToken token)
    {
        if (!ClipIds.IsValid(clipId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Clip id '{clipId}' is invalid."));
        }

        var clip = await store.FindAsync(clipId, token).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Clip {clipId} was never announced; its ClipInfo result must be acknowledged first."));
        return clip.NodeId == nodeId ? clip : throw new RpcException(new Status(StatusCode.PermissionDenied, $"Clip {clipId} belongs to another node."));
    }

    private static UploadReceipt Receipt(ClipRow clip, bool alreadyStored) =>
        new() { ClipId = clip.Id, Size = (ulong)clip.Size, Sha256 = ByteString.CopyFrom(clip.Sha256), AlreadyStored = alreadyStored };

    // ENOSPC (28) and EDQUOT (122) on Linux arrive as IOException with the errno in the HResult's low bits.
    private static bool IsDiskFull(IOException ex) => (ex.HResult & 0xFFFF) is 28 or 122 || ex.Message.Contains("No space left", StringComparison.Ordinal);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Clip {ClipId} of node {NodeId} stored ({Bytes} bytes, upload resumed at {Offset}).")]
    private static partial void LogStored(ILogger logger, string clipId, string nodeId, long bytes, ulong offset);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Clip {ClipId}: a chunk at offset {Offset} failed its CRC-32C and was refused.")]
    private static partial void LogChunkCorrupt(ILogger logger, string clipId, ulong offset);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Clip {ClipId} did not match its sha256; the partial upload was discarded.")]
    private static partial void LogHashMismatch(ILogger logger, string clipId);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Clip {ClipId}: the clip store {Location} did not take it ({Error}); the node tries again.")]
    private static partial void LogPutFailed(ILogger logger, string clipId, string location, string error);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "Clip store full: refused clip {ClipId} ({Needed} bytes needed, {Free} free, floor {Floor}). Free space or lower Retention limits.")]
    private static partial void LogNoSpace(ILogger logger, string clipId, long needed, long free, long floor);
}
