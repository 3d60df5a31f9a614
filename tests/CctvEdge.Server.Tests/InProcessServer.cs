using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CctvEdge.Harness;
using CctvEdge.Protocol.V1;
using CctvEdge.Server.Accounts;
using CctvEdge.Server.Hosting;
using CctvEdge.Server.Storage;
using CctvEdge.Testing;
using CctvEdge.Web.Services;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CctvEdge.Server.Tests;

/// <summary>The real server wiring, hosted in the test process on 127.0.0.1 with ephemeral ports and a temp data folder.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;
    private bool _stopped;

    private InProcessServer(WebApplication app, TempDirectory data, ServerEndpoints endpoints, HttpClient http)
    {
        _app = app;
        _data = data;
        GrpcAddress = new Uri(endpoints.GrpcAddress);
        WebAddress = new Uri(endpoints.WebAddress);
        Channel = GrpcChannel.ForAddress(GrpcAddress);
        Client = new NodeService.NodeServiceClient(Channel);
        Http = http;
    }

    public Uri GrpcAddress { get; }

    public Uri WebAddress { get; }

    public GrpcChannel Channel { get; }

    public NodeService.NodeServiceClient Client { get; }

    /// <summary>Signed in as the admin, unless started as a first run.</summary>
    public HttpClient Http { get; }

    public string DataDirectory => _data.Path;

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the server and signs <see cref="Http"/> in as the admin (created through the first-run endpoint).</summary>
    public static Task<InProcessServer> StartAsync(params string[] extraArgs) => StartAsync(createAdmin: true, extraArgs);

    /// <summary>Starts the server as on its first run: no users, <see cref="Http"/> not signed in.</summary>
    public static Task<InProcessServer> StartFirstRunAsync(params string[] extraArgs) => StartAsync(createAdmin: false, extraArgs);

    private static async Task<InProcessServer> StartAsync(bool createAdmin, string[] extraArgs)
    {
        var data = new TempDirectory("cctvedge-server");
        string[] args = ["--bind", "127.0.0.1", "--grpc-port", "0", "--web-port", "0", "--data", data.Path, .. extraArgs];
        // The last --data wins (a test restarting a server on its own folder passes one); its rows go to this run's engine.
        args = [.. await TestEngine.ServerArgsAsync(args[Array.LastIndexOf(args, "--data") + 1]), .. args];
        // The server's own name, not the test host's: static assets are found through cctvedge-server.staticwebassets.*.json.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(ServerHostExtensions).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.AddCctvEdgeServer(args);
        var app = builder.Build();
        app.MapCctvEdgeServer();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var endpoints = app.Services.GetRequiredService<ServerEndpoints>();
        var web = new Uri(endpoints.WebAddress);
        var http = createAdmin ? await WebSignIn.AdminClientAsync(web).WaitAsync(TimeSpan.FromSeconds(30)) : WebSignIn.NewClient(web);
        return new InProcessServer(app, data, endpoints, http);
    }

    /// <summary>A new user of the viewer role, and a client signed in as them.</summary>
    public async Task<HttpClient> ViewerClientAsync(string name = "viewer")
    {
        const string password = "viewer-password-1";
        await Services.GetRequiredService<UserStore>().CreateAsync(name, AccountService.Hash(password), Roles.Viewer, onlyIfNone: false, CancellationToken.None);
        var client = WebSignIn.NewClient(WebAddress);
        (await client.PostAsJsonAsync("api/auth/sign-in", new { name, password })).EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>Creates an API token as <paramref name="signedIn"/>'s user; returns the token, shown this once.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient signedIn, string name, string scope)
    {
        using var response = await signedIn.PostAsJsonAsync("/api/tokens", new { name, scopes = new[] { scope } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A client that sends <c>Authorization: Bearer</c> and no cookie.</summary>
    public HttpClient BearerClient(string token)
    {
        var client = new HttpClient { BaseAddress = WebAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Stops the server (its endpoints and background services) and keeps its objects, so a test can change the store
    /// through <see cref="Services"/> while the server is down, whichever engine holds it.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
