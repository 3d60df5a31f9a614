using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace CctvEdge.Grpc.Tests;

/// <summary>Hand-built gRPC requests, for what a broken or hostile peer might send.</summary>
internal static class RawGrpc
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };

    /// <summary>A gRPC message frame: flag, big-endian length, payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, bool compressed = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, Uri address, string path, byte[] body, string contentType = "application/grpc", string? encoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.ParseAdd("trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        return await client.SendAsync(request).WaitAsync(Timeout);
    }

    /// <summary>The grpc-status, from the headers of a trailers-only response or else from the trailers.</summary>
    public static async Task<StatusCode?> ReadStatusAsync(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("grpc-status", out var inHeaders))
        {
            return (StatusCode)int.Parse(inHeaders.First(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await response.Content.ReadAsByteArrayAsync().WaitAsync(Timeout);
        return response.TrailingHeaders.TryGetValues("grpc-status", out var inTrailers)
            ? (StatusCode)int.Parse(inTrailers.First(), System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
