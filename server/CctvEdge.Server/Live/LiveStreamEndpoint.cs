using System.Buffers.Binary;
using CctvEdge.Plugins.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace CctvEdge.Server.Live;

/// <summary>
/// <c>GET /media/live/{node}/{camera}</c>: a camera's live video for one browser, as a stream of frames the page's
/// script feeds to Media Source Extensions. Each frame: type (1 segment, 2 keep-alive, 3 status text), payload
/// length (uint32), capture time and send time (ms since 1970 on the server's clock, float64), duration (ms,
/// float64), then the payload, all big-endian. The viewer leaves when the request ends, or when a write stalls (a
/// browser that vanished without closing its connection); keep-alives make sure a write happens every few seconds.
/// </summary>
internal static class LiveStreamEndpoint
{
    private const byte Segment = 1;
    private const byte KeepAlive = 2;
    private const byte StatusText = 3;
    private const int HeaderBytes = 29;
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapLiveStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/media/live/{nodeId}/{cameraId}", StreamAsync);
        endpoints.MapGet("/api/live", (LiveHub hub) => hub.Feeds);
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext http, string nodeId, string cameraId, LiveHub hub, TimeProvider clock)
    {
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(cameraId))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        http.Response.ContentType = "application/octet-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stop = http.RequestAborted;
        using var viewer = hub.Join(nodeId, cameraId);
        await http.Response.StartAsync(stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            LiveFrame? frame;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                wait.CancelAfter(KeepAliveInterval);
                try
                {
                    frame = await viewer.Frames.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    frame = null;
                }
            }

            using var write = CancellationTokenSource.CreateLinkedTokenSource(stop);
            write.CancelAfter(WriteTimeout);
            try
            {
                await WriteAsync(http.Response.Body, frame, clock.GetUtcNow(), write.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                return;
            }
        }
    }

    private static async Task WriteAsync(Stream body, LiveFrame? frame, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payload = frame switch
        {
            null => [],
            { Status: { } status } => System.Text.Encoding.UTF8.GetBytes(status),
            _ => frame.Data,
        };
        var header = new byte[HeaderBytes];
        header[0] = frame switch
        {
            null => KeepAlive,
            { Status: not null } => StatusText,
            _ => Segment,
        };
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)payload.Length);
        BinaryPrimitives.WriteDoubleBigEndian(header.AsSpan(5), frame?.CapturedAt.ToUnixTimeMilliseconds() ?? 0);
        BinaryPrimitives.WriteDoubleBigEndian(header.AsSpan(13), now.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteDoubleBigEndian(header.AsSpan(21), (frame?.DurationSeconds ?? 0) * 1000);
        await body.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
