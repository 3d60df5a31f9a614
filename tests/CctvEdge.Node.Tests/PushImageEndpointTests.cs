using System.Net;
using System.Net.Http.Headers;
using CctvEdge.Harness;
using CctvEdge.Node.Cameras.Push;
using CctvEdge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CctvEdge.Node.Tests;

/// <summary><c>POST /cameras/{id}/images</c> on a real HttpListener, into a running push camera.</summary>
public sealed class PushImageEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = PushCameraFixture.Timeout;
    private readonly PushOptions _options = new() { Port = FreePort.Next(), BindAddress = "127.0.0.1", MaxImageBytes = 200_000 };
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PushCameraFixture _push = null!;
    private PushImageEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _push = await PushCameraFixture.CreateAsync(burstGapSeconds: 1, push: _options);
        _push.Start();
        await Eventually.TrueAsync(() => _push.Cameras.Find("yard") is not null && Directory.Exists(_push.Inbox), Timeout, "the push camera running");
        _endpoint = new PushImageEndpoint(Options.Create(_options), _push.Cameras, TimeProvider.System, NullLogger<PushImageEndpoint>.Instance);
        await _endpoint.StartAsync(CancellationToken.None);
        // ExecuteAsync runs in the background: the listener is up once a connection is taken.
        await Eventually.TrueAsync(Listening, Timeout, "the push endpoint listening");
    }

    public async Task DisposeAsync()
    {
        await _endpoint.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        _endpoint.Dispose();
        _http.Dispose();
        await _push.DisposeAsync();
    }

    [Fact]
    public async Task Post_Jpeg_Accepted_BecomesFrameEventAndClip()
    {
        using var response = await PostAsync("/cameras/yard/images", PushPictures.Make(0, "posted"), "image/jpeg");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var clip = await _push.ClipAsync();
        var e = Assert.Single(await _push.EventsAsync());
        Assert.Equal(e.EventId, clip.EventId);
        Assert.Contains("posted", PushCameraFixture.Payload(e).GetProperty("comments").EnumerateArray().Select(c => c.GetString()));
        Assert.Single(_push.Frames);
    }

    [Theory]
    [InlineData("/cameras/gate/images", "image/jpeg", HttpStatusCode.NotFound)]
    [InlineData("/cameras/%2e%2e%2f%2e%2e%2fetc/images", "image/jpeg", HttpStatusCode.NotFound)]
    [InlineData("/cameras/..%2F..%2Fetc/images", "image/jpeg", HttpStatusCode.NotFound)]
    [InlineData("/cameras/yard/images/../../x", "image/jpeg", HttpStatusCode.NotFound)]
    [InlineData("/cameras/yard/images", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/cameras/yard/images", "image/png", HttpStatusCode.UnsupportedMediaType)]
    public async Task Post_Refused_ClearErrorAndNothingWritten(string path, string contentType, HttpStatusCode expected)
    {
        using var response = await PostAsync(path, PushPictures.Make(), contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingTakenAsync();
    }

    [Fact]
    public async Task Post_NotAJpeg_BadRequest()
    {
        using var response = await PostAsync("/cameras/yard/images", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "image/jpeg");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingTakenAsync();
    }

    [Fact]
    public async Task Post_OverTheLimit_TooLarge()
    {
        var big = PushPictures.WithComments(PushPictures.Make(), [.. Enumerable.Range(0, 4).Select(_ => new byte[65_000])]);
        Assert.True(big.Length > _options.MaxImageBytes);

        using var response = await PostAsync("/cameras/yard/images", big, "image/jpeg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingTakenAsync();
    }

    [Fact]
    public async Task Get_MethodNotAllowed()
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_options.Port}/cameras/yard/images"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private bool Listening()
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Loopback, _options.Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType)
    {
        // Sent as written: HttpClient must not tidy the dot segments away before the node sees them.
        var uri = new Uri($"http://127.0.0.1:{_options.Port}{path}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await _http.PostAsync(uri, content);
    }

    private async Task AssertNothingTakenAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(Directory.GetFileSystemEntries(_push.Inbox));
        Assert.Empty(_push.Frames);
        Assert.Empty(await _push.EventsAsync());
    }
}
