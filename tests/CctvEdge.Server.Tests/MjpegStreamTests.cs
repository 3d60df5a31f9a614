using System.Net;
using System.Text;
using CctvEdge.Protocol.V1;

namespace CctvEdge.Server.Tests;

/// <summary>
/// <c>GET /media/mjpeg/{node}/{camera}</c>, live view for browsers without Media Source Extensions: the latest picture
/// at once, then each new one as the node sends it, which the node is asked to do every second while someone watches.
/// </summary>
public sealed class MjpegStreamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly byte[] First = [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9];
    private static readonly byte[] Second = [0xFF, 0xD8, 4, 5, 6, 7, 0xFF, 0xD9];

    [Fact]
    public async Task Stream_LatestPictureThenEachNewOne_NodeAskedToFollow()
    {
        await using var server = await InProcessServer.StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello("barn", "yard"));
        await node.SendAsync(NodeSessionClient.Snapshot("yard", First));
        await CctvEdge.Testing.Eventually.TrueAsync(
            async () => (await server.Http.GetAsync("/media/snapshots/barn/yard.jpg")).StatusCode == HttpStatusCode.OK, Timeout, "the first snapshot to be stored");

        using var response = await server.Http.GetAsync("/media/mjpeg/barn/yard", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var boundary = response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;
        var first = await ReadPartAsync(body, boundary).WaitAsync(Timeout);
        var follow = await FollowAskedAsync(node);
        await node.SendAsync(NodeSessionClient.Snapshot("yard", Second));
        // The first picture's own notice may still come after the stream began, and the picture be sent again.
        var parts = new List<byte[]>();
        do
        {
            parts.Add(await ReadPartAsync(body, boundary).WaitAsync(Timeout));
        }
        while (!parts[^1].AsSpan().SequenceEqual(Second) && parts.Count < 5);

        Assert.Equal("multipart/x-mixed-replace", response.Content.Headers.ContentType.MediaType);
        Assert.Equal(First, first);
        Assert.Equal("yard", follow.CameraId);
        Assert.True(follow.FollowSeconds > 0);
        Assert.Equal(Second, parts[^1]);
        Assert.All(parts[..^1], p => Assert.Equal(First, p));
    }

    [Theory]
    [InlineData("/media/mjpeg/barn/YARD")]
    [InlineData("/media/mjpeg/..%2F..%2Fetc/yard")]
    public async Task Stream_BadIds_400(string path)
    {
        await using var server = await InProcessServer.StartAsync();

        using var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<RequestSnapshot> FollowAskedAsync(NodeSessionClient node)
    {
        while (true)
        {
            if ((await node.ReadAsync()).Command?.RequestSnapshot is { } asked)
            {
                return asked;
            }
        }
    }

    /// <summary>Reads one part: its headers up to the blank line, then Content-Length bytes.</summary>
    private static async Task<byte[]> ReadPartAsync(Stream body, string boundary)
    {
        var headers = new List<string>();
        string line;
        while ((line = await ReadLineAsync(body)).Length > 0 || headers.Count == 0)
        {
            if (line.Length > 0)
            {
                headers.Add(line);
            }
        }

        Assert.Equal("--" + boundary, headers[0]);
        Assert.Contains("Content-Type: image/jpeg", headers);
        var length = int.Parse(headers.Single(h => h.StartsWith("Content-Length: ", StringComparison.Ordinal))["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var picture = new byte[length];
        await body.ReadExactlyAsync(picture);
        Assert.Equal("", await ReadLineAsync(body));
        return picture;
    }

    private static async Task<string> ReadLineAsync(Stream body)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            await body.ReadExactlyAsync(one);
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }
}
