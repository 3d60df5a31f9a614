namespace CctvEdge.Testing;

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

    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments)
    {
        var process = ChildProcess.StartDotnet(
            "server",
            RepositoryPaths.ServerDll,
            ["--bind", "127.0.0.1", "--grpc-port", "0", "--web-port", "0", "--data", dataDirectory, .. extraArguments],
            dataDirectory);
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
