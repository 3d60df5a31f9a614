using CctvEdge.Server.Storage.Objects;
using Microsoft.Net.Http.Headers;

namespace CctvEdge.Server.Api;

/// <summary>
/// Serves a clip from a remote object store with HTTP range requests, as <c>PhysicalFile</c> does for a file: one
/// range (bytes=0-99, bytes=100-, bytes=-500) is fetched from the store with a ranged GET of exactly those bytes, so
/// seeking in a long clip never downloads the whole object. Several ranges in one request get the whole clip (as
/// ASP.NET Core's static files answer them); an unsatisfiable range gets 416.
/// </summary>
internal sealed class ClipObjectResult(IClipObjectStore objects, string key, long size, string contentType, string etag, string? downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        response.Headers.AcceptRanges = "bytes";
        headers.ETag = new EntityTagHeaderValue(etag);
        if (downloadName is not null)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadName);
            headers.ContentDisposition = disposition;
        }

        var (start, length, partial) = Range(request);
        if (length < 0)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            headers.ContentRange = new ContentRangeHeaderValue(size);
            return;
        }

        response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (partial)
        {
            headers.ContentRange = new ContentRangeHeaderValue(start, start + length - 1, size);
        }

        response.ContentType = contentType;
        response.ContentLength = length;
        if (HttpMethods.IsHead(request.Method) || length == 0)
        {
            return;
        }

        var token = httpContext.RequestAborted;
        Stream body;
        try
        {
            body = await objects.GetAsync(key, start, partial ? length : null, token).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // Deleted behind the server's back: nothing was sent yet, so say so (`cctvedge-server check` finds the row).
            response.Headers.Remove(HeaderNames.ContentRange);
            response.ContentLength = null;
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using (body.ConfigureAwait(false))
        {
            await CopyAsync(body, response.Body, length, token).ConfigureAwait(false);
        }
    }

    /// <summary>What to send: (start, length, partial); a negative length when the range cannot be satisfied.</summary>
    private (long Start, long Length, bool Partial) Range(HttpRequest request)
    {
        var whole = (0L, size, false);
        var typed = request.GetTypedHeaders();
        var range = typed.Range;
        // An If-Range naming another version of the clip asks for all of it (RFC 9110 13.1.5); clips never change, so
        // only a different tag can mean that.
        if (range is null || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1
            || (typed.IfRange is { } ifRange && ifRange.EntityTag?.Tag.Value != etag))
        {
            return whole;
        }

        var item = range.Ranges.Single();
        if (item.From is { } from)
        {
            return from >= size ? (0, -1, true) : (from, Math.Min(item.To ?? size - 1, size - 1) - from + 1, true);
        }

        var suffix = item.To ?? 0;
        return suffix <= 0 || size == 0 ? (0, -1, true) : (Math.Max(0, size - suffix), Math.Min(suffix, size), true);
    }

    /// <summary>Copies exactly <paramref name="length"/> bytes: a file store's stream runs on to the end of the clip.</summary>
    private static async Task CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(length, 1 << 16)];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The clip store ended {length} bytes early."));
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            length -= read;
        }
    }
}
