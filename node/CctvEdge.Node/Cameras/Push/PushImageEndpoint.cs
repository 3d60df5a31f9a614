using System.Globalization;
using System.Net;
using CctvEdge.Plugins.Hosting;
using CctvEdge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Cameras.Push;

/// <summary>
/// <c>POST /cameras/{id}/images</c>, body one JPEG (<c>Content-Type: image/jpeg</c>): for cameras that upload their
/// pictures over HTTP instead of FTP. The picture is written durably into the camera's inbox under a name the node
/// makes (nothing the client sends becomes a path) and taken from there like an FTP upload; 202 means it is on disk.
/// </summary>
internal sealed class PushImageEndpoint(
    IOptions<PushOptions> options,
    PushCameras cameras,
    TimeProvider clock,
    ILogger<PushImageEndpoint> logger) : LocalHttpEndpoint(options.Value, logger)
{
    private const string Usage = "POST /cameras/{id}/images with one JPEG (Content-Type: image/jpeg)";

    protected override string Name => "Push endpoint";

    protected override string Routes => "POST /cameras/{id}/images";

    // A picture the node could not keep is never answered 2xx.
    protected override string Failure => "the node could not store the picture";

    protected override async Task<(int Status, byte[] Body)> AnswerAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The raw path: an encoded slash or dot-dot must not become a different route or a path.
        var parts = (request.RawUrl ?? "").Split('?', 2)[0].Split('/');
        if (parts is not ["", "cameras", var id, "images"])
        {
            return Error(404, $"no {request.RawUrl} here: {Usage}");
        }

        if (request.HttpMethod != "POST")
        {
            return Error(405, $"{request.HttpMethod} is not allowed: {Usage}");
        }

        if (!Identifier.IsValid(id) || cameras.Find(id) is not { } camera)
        {
            return Error(404, $"no push camera '{Shorten(id)}' on this node (Cameras:N:Source:Kind must be push, and the camera enabled)");
        }

        if (request.ContentType?.Split(';')[0].Trim().Equals("image/jpeg", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Error(415, $"Content-Type must be image/jpeg (was '{Shorten(request.ContentType ?? "")}')");
        }

        if (request.ContentLength64 > settings.MaxImageBytes)
        {
            return Error(413, $"the picture of {request.ContentLength64} bytes is over Push:MaxImageBytes ({settings.MaxImageBytes})");
        }

        var body = await ReadBodyAsync(request.InputStream, settings.MaxImageBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Error(413, $"the picture is over Push:MaxImageBytes ({settings.MaxImageBytes})");
        }

        if (!JpegFile.IsComplete(body))
        {
            return Error(400, "the body is not a whole JPEG (it must start with FF D8 and end with FF D9)");
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"http-{clock.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}.jpg");
        await DurableFile.WriteAsync(Path.Combine(camera.Inbox, name), body, cancellationToken).ConfigureAwait(false);
        camera.Wake();
        return Json(202, writer => writer.WriteString("stored", name));
    }

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
