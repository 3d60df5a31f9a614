using System.Globalization;
using System.Net;
using System.Text.Json;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// <c>POST /cameras/{id}/images</c>, body one JPEG (<c>Content-Type: image/jpeg</c>): for cameras that upload their
/// pictures over HTTP instead of FTP. The picture is written durably into the camera's inbox under a name the node
/// makes (nothing the client sends becomes a path) and taken from there like an FTP upload; 202 means it is on disk.
/// HttpListener, in the base runtime, as the microcontroller endpoint.
/// </summary>
internal sealed partial class PushImageEndpoint(
    IOptions<PushOptions> options,
    PushCameras cameras,
    TimeProvider clock,
    ILogger<PushImageEndpoint> logger) : BackgroundService
{
    private const string Usage = "POST /cameras/{id}/images with one JPEG (Content-Type: image/jpeg)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{settings.ListenerHost}:{settings.Port}/");
        listener.Start();
        LogListening(logger, settings.BindAddress, settings.Port);
        await using var _ = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            // Cameras post a few pictures a second at most; one at a time keeps a camera's pictures in order.
            await HandleAsync(context, settings, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, PushOptions settings, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            (int Status, string Key, string Value) answer;
            try
            {
                answer = await AnswerAsync(context.Request, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or HttpListenerException))
            {
                // A picture the node could not keep is never answered 2xx.
                LogFailed(logger, context.Request.Url?.AbsolutePath ?? "", ex);
                answer = (500, "error", $"the node could not store the picture: {ex.Message}");
            }

            response.StatusCode = answer.Status;
            response.ContentType = "application/json";
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [answer.Key] = answer.Value });
            await response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException)
        {
            // The camera went away mid-request, or the node is stopping: nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task<(int, string, string)> AnswerAsync(HttpListenerRequest request, PushOptions settings, CancellationToken cancellationToken)
    {
        // The raw path: an encoded slash or dot-dot must not become a different route or a path.
        var parts = (request.RawUrl ?? "").Split('?', 2)[0].Split('/');
        if (parts is not ["", "cameras", var id, "images"])
        {
            return (404, "error", $"no {request.RawUrl} here: {Usage}");
        }

        if (request.HttpMethod != "POST")
        {
            return (405, "error", $"{request.HttpMethod} is not allowed: {Usage}");
        }

        if (!Identifier.IsValid(id) || cameras.Find(id) is not { } camera)
        {
            return (404, "error", $"no push camera '{Shorten(id)}' on this node (Cameras:N:Source:Kind must be push, and the camera enabled)");
        }

        if (request.ContentType?.Split(';')[0].Trim().Equals("image/jpeg", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (415, "error", $"Content-Type must be image/jpeg (was '{Shorten(request.ContentType ?? "")}')");
        }

        if (request.ContentLength64 > settings.MaxImageBytes)
        {
            return (413, "error", $"the picture of {request.ContentLength64} bytes is over Push:MaxImageBytes ({settings.MaxImageBytes})");
        }

        var body = await ReadBodyAsync(request.InputStream, settings.MaxImageBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (413, "error", $"the picture is over Push:MaxImageBytes ({settings.MaxImageBytes})");
        }

        if (!JpegFile.IsComplete(body))
        {
            return (400, "error", "the body is not a whole JPEG (it must start with FF D8 and end with FF D9)");
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"http-{clock.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.jpg");
        await DurableFile.WriteAsync(Path.Combine(camera.Inbox, name), body, cancellationToken).ConfigureAwait(false);
        camera.Wake();
        return (202, "stored", name);
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (a chunked body has no length to check first).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream input, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;

    [LoggerMessage(EventId = 229, Level = LogLevel.Information, Message = "Push endpoint listening on {Address}:{Port} (POST /cameras/{{id}}/images).")]
    private static partial void LogListening(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 230, Level = LogLevel.Error, Message = "Push endpoint: {Path} failed.")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);
}
