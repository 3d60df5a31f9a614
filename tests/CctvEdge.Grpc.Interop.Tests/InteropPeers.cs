using System.Collections.Concurrent;
using CctvEdge.Harness;
using CctvEdge.Server.Hosting.Grpc;
using CctvEdge.Testing;

namespace CctvEdge.Grpc.Interop.Tests;

/// <summary>
/// The interop peers as real processes: each server (ours, grpc-js, grpcio; h2c and TLS) starts once, each
/// client/server pair runs all its cases in one client process, and each test reads its case's line.
/// </summary>
public sealed class InteropPeers : IAsyncLifetime
{
    public const string CSharp = "csharp";
    public const string GrpcJs = "grpc-js";
    public const string Grpcio = "grpcio";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new("cctvedge-interop");
    private readonly ConcurrentDictionary<(string, bool), Lazy<Task<(ChildProcess Process, int Port)>>> _servers = new();
    private readonly ConcurrentDictionary<(string, string, bool), Lazy<Task<IReadOnlyDictionary<string, string>>>> _runs = new();
    private readonly Lazy<Task> _prepared;

    public InteropPeers() => _prepared = new(PrepareAsync);

    private static string InteropDll => Path.Combine(RepositoryPaths.Root, "tools", "interop", "CctvEdge.Grpc.Interop", "bin", RepositoryPaths.Configuration, "net10.0", "CctvEdge.Grpc.Interop.dll");

    private static string JsDirectory => Path.Combine(RepositoryPaths.Root, "tools", "interop", "js");

    private static string PythonDirectory => Path.Combine(RepositoryPaths.Root, "tools", "interop", "python");

    private string Descriptors => Path.Combine(_directory.Path, "grpc-testing.pb");

    private string Ca => Path.Combine(_directory.Path, "ca.crt");

    private string Certificate => Path.Combine(_directory.Path, "server.crt");

    private string Key => Path.Combine(_directory.Path, "server.key");

    /// <summary>The result line of <paramref name="testCase"/> ("PASS ..." or "FAIL ...: why") for one pair.</summary>
    public async Task<string> RunAsync(string client, string server, bool tls, string testCase, IEnumerable<string> allCases)
    {
        var results = await _runs.GetOrAdd((client, server, tls), key => new(() => RunClientAsync(key.Item1, key.Item2, key.Item3, allCases))).Value;
        return results.TryGetValue(testCase, out var line) ? line : $"MISSING {testCase}";
    }

    /// <summary>Runs a grpc-js reflection client (tests/interop/js/reflection.js) against our h2c server; its output.</summary>
    public async Task<string> RunJsReflectionAsync(string symbol)
    {
        var (_, port) = await _servers.GetOrAdd((CSharp, false), key => new(() => StartServerAsync(key.Item1, key.Item2))).Value;
        await using var process = ChildProcess.Start("grpc-js reflection client", "node", ["reflection.js", "--address", $"127.0.0.1:{port}", "--symbol", symbol], JsDirectory);
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        return process.Output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops every peer server. xUnit 2 calls this for fixtures that are IAsyncLifetime, never IAsyncDisposable.</summary>
    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(s => s.IsValueCreated))
        {
            try
            {
                await (await server.Value).Process.DisposeAsync();
            }
            catch (TimeoutException)
            {
                // A server that never came up has been reported by the test that needed it.
            }
        }

        _directory.Dispose();
    }

    private async Task PrepareAsync()
    {
        using var ca = CertificateFactory.CreateCa("interop test CA", DateTimeOffset.UtcNow.AddDays(2));
        using var certificate = CertificateFactory.CreateServer(ca, ["127.0.0.1", "localhost"], DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Ca, ca.ExportCertificatePem());
        CertificateFactory.WritePem(certificate, Certificate, Key);
        await using var descriptors = ChildProcess.StartDotnet("descriptors", InteropDll, ["descriptors", Descriptors], _directory.Path);
        Assert.Equal(0, await descriptors.WaitForExitAsync(StartTimeout));
    }

    private async Task<IReadOnlyDictionary<string, string>> RunClientAsync(string client, string server, bool tls, IEnumerable<string> cases)
    {
        var (_, port) = await _servers.GetOrAdd((server, tls), key => new(() => StartServerAsync(key.Item1, key.Item2))).Value;
        string[] common = ["--cases", string.Join(',', cases)];
        string[] trust = tls ? ["--ca", Ca] : [];
        await using var process = client switch
        {
            CSharp => ChildProcess.StartDotnet("csharp client", InteropDll, ["client", "--address", $"{(tls ? "https" : "http")}://127.0.0.1:{port}", .. common, .. trust], _directory.Path),
            GrpcJs => ChildProcess.Start("grpc-js client", "node", ["client.js", "--address", $"127.0.0.1:{port}", .. common, .. trust], JsDirectory),
            _ => ChildProcess.Start("grpcio client", "/usr/bin/python3", ["client.py", "--descriptors", Descriptors, "--address", $"127.0.0.1:{port}", .. common, .. trust], PythonDirectory),
        };
        await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return process.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("PASS ", StringComparison.Ordinal) || line.StartsWith("FAIL ", StringComparison.Ordinal))
            .ToDictionary(line => line[5..].Split(':')[0], line => line);
    }

    private async Task<(ChildProcess Process, int Port)> StartServerAsync(string server, bool tls)
    {
        await _prepared.Value;
        string[] credentials = tls ? ["--cert", Certificate, "--key", Key] : [];
        var process = server switch
        {
            CSharp => ChildProcess.StartDotnet("csharp server", InteropDll, ["server", "--port", "0", .. credentials], _directory.Path),
            GrpcJs => ChildProcess.Start("grpc-js server", "node", ["server.js", "--port", "0", .. credentials], JsDirectory),
            _ => ChildProcess.Start("grpcio server", "/usr/bin/python3", ["server.py", "--descriptors", Descriptors, "--port", "0", .. credentials], PythonDirectory),
        };
        var match = await process.WaitForLineAsync(@"^LISTENING (\d+)", StartTimeout);
        return (process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
