namespace CctvEdge.Harness;

/// <summary>The real server, started as its own process on 127.0.0.1 with free ports and a temporary data folder.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private ServerProcess(ChildProcess process, Uri web, Uri grpc)
    {
        Process = process;
        WebAddress = web;
        GrpcAddress = grpc;
    }

    public ChildProcess Process { get; }

    public Uri WebAddress { get; }

    public Uri GrpcAddress { get; }

    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments) =>
        StartAsync(dataDirectory, 0, 0, extraArguments);

    /// <summary>Starts on the given ports (0 for any), e.g. the same ones again after a kill.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, int grpcPort, int webPort, params string[] extraArguments) =>
        StartAsync(RepositoryPaths.ServerDll, dataDirectory, grpcPort, webPort, environment: null, extraArguments);

    /// <summary>Starts <paramref name="serverDll"/> (the build output, or a publish of it) with extra environment variables.</summary>
    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, int grpcPort, int webPort, IDictionary<string, string>? environment, params string[] extraArguments)
    {
        var process = ChildProcess.StartDotnet(
            "server",
            serverDll,
            ["--bind", "127.0.0.1", "--grpc-port", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--web-port", webPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataDirectory, .. extraArguments],
            dataDirectory,
            environment);
        try
        {
            var ready = await process.WaitForLineAsync(@"CctvEdge server ready: web (\S+)/ grpc (\S+) ", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return new ServerProcess(process, new Uri(ready.Groups[1].Value + "/"), new Uri(ready.Groups[2].Value));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>Free TCP ports on 127.0.0.1, for programs that must come back on the same port after a restart.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
