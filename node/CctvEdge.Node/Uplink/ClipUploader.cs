using System.Threading.RateLimiting;
using CctvEdge.Node.Configuration;
using CctvEdge.Node.Outbox;
using CctvEdge.Node.Uplink.Policy;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Protocol;
using CctvEdge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Uplink;

/// <summary>
/// Uploads cut clips, oldest first, once the server has acknowledged their announcement. Each upload resumes from
/// the offset the server reports, every chunk carries its CRC-32C, and the local file is deleted only after a receipt
/// whose sha256 matches the clip's. Results go first: while results wait to be sent, the uploader pauses between chunks.
/// The upload policy's windows and daily budget (<see cref="UploadGate"/>) decide which waiting clip may start.
/// </summary>
internal sealed partial class ClipUploader(
    ClipQueue queue,
    IResultOutbox results,
    ServerConnection server,
    ResultDelivery delivery,
    UploadStatus status,
    UploadGate gate,
    IOptions<ServerConnectionOptions> options,
    ILogger<ClipUploader> logger) : BackgroundService
{
    // Large enough to amortise each message's fixed costs, small enough to resume cheaply and stay under 4 MiB messages.
    public const int ChunkSize = 512 * 1024;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HeldRecheck = TimeSpan.FromSeconds(2);

    // Clips the policy looks at per pass, oldest first: a retrieval behind many clips held for a window still goes.
    private const int Candidates = 500;
    // The current server's channel at each call: after a failover the next upload goes where the session went.
    private ClipService.ClipServiceClient Client => new(server.Channel);
    private readonly AsyncSignal _wake = new();

    // One chunk buffer for the uploader's life, taken at the first upload: clips go up one at a time, and a new
    // 512 KiB array per clip was a large-object-heap allocation that only a full collection frees. With a camera's
    // clip every 20 s or so, four cameras left 10-15 MB of dead chunk buffers waiting on the large object heap
    // (issue 16, scripts/measure-node-memory.sh).
    private byte[]? _chunk;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        results.Appended += _wake.Set;
        using var limiter = CreateLimiter(options.Value.MaxUploadKilobytesPerSecond);
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var candidates = await queue.UploadableAsync(results.AcknowledgedSequence, Candidates, stoppingToken).ConfigureAwait(false);
                var clip = await gate.ChooseAsync(candidates, stoppingToken).ConfigureAwait(false);
                if (clip is null)
                {
                    // Clips held by the policy are looked at again on a timer, not at every result appended.
                    await (candidates.Count == 0 ? _wake.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken) : Task.Delay(HeldRecheck, stoppingToken)).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await UploadAsync(clip, limiter, stoppingToken).ConfigureAwait(false);
                    status.Error = "";
                    backoff.Reset();
                    // The day's use is saved after each clip; the bytes of a failed attempt are counted in memory and
                    // saved with the next clip.
                    await gate.SaveAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever went wrong (the server, the link, the outbox), the clip stays and the uploader goes on.
                    status.Error = Describe(ex);
                    var delay = backoff.Next();
                    LogUploadFailed(logger, clip.Id, status.Error, delay.TotalSeconds);
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            results.Appended -= _wake.Set;
        }
    }

    /// <summary>Uploads one clip and removes it locally after a matching receipt (the loop's body; the benchmark calls it).</summary>
    internal async Task UploadAsync(PendingClip clip, RateLimiter? limiter, CancellationToken cancellationToken)
    {
        var offset = await Client.GetUploadOffsetAsync(new ClipRef { ClipId = clip.Id }, server.Call(cancellationToken, CallTimeout)).ResponseAsync.ConfigureAwait(false);
        if (offset.Complete)
        {
            await queue.RemoveAsync(clip, cancellationToken).ConfigureAwait(false);
            LogAlreadyStored(logger, clip.Id);
            return;
        }

        using var call = Client.Upload(server.Call(cancellationToken));
        try
        {
            await SendAsync(call.RequestStream, clip, offset.Offset, limiter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The server ended the call while we were sending: a refusal, or "already stored". The response says which.
        }

        // Bounded: after the last byte the server only finishes a hash, an fsync and a rename.
        var receipt = await call.ResponseAsync.WaitAsync(ReceiptTimeout, cancellationToken).ConfigureAwait(false);
        if (!receipt.Sha256.Span.SequenceEqual(clip.Sha256))
        {
            throw new IOException($"The server's receipt for clip {clip.Id} names another sha256; keeping the clip.");
        }

        await queue.RemoveAsync(clip, cancellationToken).ConfigureAwait(false);
        LogUploaded(logger, clip.Id, clip.Size, offset.Offset);
    }

    /// <summary>Sends the header and the file from <paramref name="offset"/> in chunks, then half-closes.</summary>
    private async Task SendAsync(IClientStreamWriter<ClipChunk> requests, PendingClip clip, ulong offset, RateLimiter? limiter, CancellationToken cancellationToken)
    {
        await requests.WriteAsync(new ClipChunk { Header = new ClipUploadHeader { ClipId = clip.Id, Offset = offset } }).ConfigureAwait(false);
        await using (var file = new FileStream(queue.FullPath(clip), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            // Reads are synchronous: clips are usually in the page cache, and an async file read on Linux is only a
            // thread-pool hop. The chunk is handed over without a copy; the writer serializes it before returning, so
            // the next chunk, and the next clip, can reuse the buffer.
            var buffer = _chunk ??= GC.AllocateUninitializedArray<byte>(ChunkSize);
            var position = (long)offset;
            int read;
            while ((read = RandomAccess.Read(file.SafeFileHandle, buffer, position)) > 0)
            {
                await YieldToResultsAsync(cancellationToken).ConfigureAwait(false);
                if (limiter is not null)
                {
                    using var lease = await limiter.AcquireAsync(read, cancellationToken).ConfigureAwait(false);
                }

                var data = buffer.AsMemory(0, read);
                await requests.WriteAsync(new ClipChunk
                {
                    Data = new ClipData { Offset = (ulong)position, Data = UnsafeByteOperations.UnsafeWrap(data), Crc32C = Crc32C.Compute(data.Span) },
                }).ConfigureAwait(false);
                gate.Spent(read);
                position += read;
            }
        }

        await requests.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Waits (up to 2 s at a time) while the session has results it has not sent.</summary>
    private async Task YieldToResultsAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 40 && results.LastSequence > delivery.LastSent; i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TokenBucketRateLimiter? CreateLimiter(int kilobytesPerSecond)
    {
        if (kilobytesPerSecond <= 0)
        {
            return null;
        }

        // Tokens are bytes, refilled ten times a second; the bucket holds at least one chunk so a chunk can pass.
        var perSecond = kilobytesPerSecond * 1024;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(ChunkSize, perSecond / 10),
            TokensPerPeriod = Math.Max(1, perSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = ChunkSize,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static string Describe(Exception ex) => ex switch
    {
        RpcException { StatusCode: StatusCode.ResourceExhausted } rpc => "the server refused the clip: its clip store is full (" + rpc.Status.Detail + ")",
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => ex.Message,
    };

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Clip {ClipId} uploaded ({Bytes} bytes, resumed at {Offset}).")]
    private static partial void LogUploaded(ILogger logger, string clipId, long bytes, ulong offset);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Clip {ClipId} upload failed: {Error}. The clip is kept; retrying in {DelaySeconds:0.0} s.")]
    private static partial void LogUploadFailed(ILogger logger, string clipId, string error, double delaySeconds);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Clip {ClipId} was already stored on the server; local copy removed.")]
    private static partial void LogAlreadyStored(ILogger logger, string clipId);
}
