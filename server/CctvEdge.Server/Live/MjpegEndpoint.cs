using System.Text;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Web.Services;
using Microsoft.AspNetCore.Http.Features;

namespace CctvEdge.Server.Live;

/// <summary>
/// <c>GET /media/mjpeg/{node}/{camera}</c>: the camera's snapshots as a Motion JPEG stream (multipart/x-mixed-replace),
/// for browsers without Media Source Extensions: an <c>img</c> shows each picture as it arrives. While someone
/// watches, the node is asked to send a snapshot every second (as the live grid does); the stream starts with the
/// latest picture and ends when the browser leaves or a write stalls.
/// </summary>
internal static class MjpegEndpoint
{
    public const string Boundary = "cctvedge-frame";
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    // Renewed well before the node's follow ends, so a viewer never falls back to the slow pace.
    private static readonly TimeSpan FollowRenewal = ILiveGrid.FollowFor / 3;

    public static IEndpointRouteBuilder MapMjpeg(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/media/mjpeg/{nodeId}/{cameraId}", StreamAsync);
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext http, string nodeId, string cameraId, ILiveGrid grid, ILiveUpdates changes, MediaStore media, TimeProvider clock)
    {
        if (!Identifier.IsValid(nodeId) || !Identifier.IsValid(cameraId))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        http.Response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        http.Response.Headers.CacheControl = "no-store";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stop = http.RequestAborted;
        var camera = new CameraKey(nodeId, cameraId);
        using var arrived = new SemaphoreSlim(0, 1);
        using var subscription = changes.Subscribe(change =>
        {
            if (change.Kind == LiveChangeKind.Snapshot && change.NodeId == nodeId && change.CameraId == cameraId && arrived.CurrentCount == 0)
            {
                arrived.Release();
            }
        });
        await http.Response.StartAsync(stop).ConfigureAwait(false);
        var followedAt = DateTimeOffset.MinValue;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (clock.GetUtcNow() - followedAt >= FollowRenewal)
                {
                    grid.Follow([camera]);
                    followedAt = clock.GetUtcNow();
                }

                if (await ReadAsync(media.SnapshotPath(nodeId, cameraId), stop).ConfigureAwait(false) is { } jpeg)
                {
                    using var write = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    write.CancelAfter(WriteTimeout);
                    await WritePartAsync(http.Response.Body, jpeg, write.Token).ConfigureAwait(false);
                }

                await arrived.WaitAsync(FollowRenewal, stop).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The browser left, or stopped reading.
        }
    }

    private static async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // Snapshots are replaced by rename, so a read sees a whole picture, old or new.
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async Task WritePartAsync(Stream body, byte[] jpeg, CancellationToken cancellationToken)
    {
        var header = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
        await body.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(jpeg, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
