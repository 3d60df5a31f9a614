using System.Net.Http.Json;
using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

/// <summary>Server processors: loaded from folders like node plugins, fed after each commit, isolated from ingest.</summary>
public sealed class ProcessorTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string Built = Path.Combine(AppContext.BaseDirectory, "test-processors");
    private readonly TempDirectory _processors = new("cctvedge-processors");

    public void Dispose() => _processors.Dispose();

    [Fact]
    public async Task StoredResults_MisbehavingProcessors_ContainedWhileLedgerHearsEveryResult()
    {
        Add("ledger", "LedgerProcessor");
        Add("throwing", "ThrowingProcessor");
        Add("sleeping", "SleepingProcessor");
        Add("future", "LedgerProcessor", sdkAbi: 2);
        Add("escape", "LedgerProcessor", assembly: "../ledger/CctvEdge.TestProcessors.dll");
        await using var server = await StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello()).WaitAsync(Timeout);

        for (ulong sequence = 1; sequence <= 60; sequence++)
        {
            Assert.Equal(sequence, await node.SendBatchAsync(NodeSessionClient.Measurement(sequence, sequence)).WaitAsync(Timeout));
        }

        var ledger = Path.Combine(server.DataDirectory, "processors", "ledger", "ledger.txt");
        await Eventually.TrueAsync(() => File.Exists(ledger) && File.ReadAllLines(ledger).Length == 60, Timeout, "the ledger to hear all 60 results");
        Assert.Equal("barn 60 motion motion.magnitude", File.ReadAllLines(ledger)[^1]);
        var states = await Eventually.GetAsync(
            async () =>
            {
                var list = await server.Http.GetFromJsonAsync<List<ProcessorView>>("/api/processors");
                return list?.First(p => p.Id == "throwing").State == "failed" && list.First(p => p.Id == "sleeping").State == "failed" ? list : null;
            },
            Timeout,
            "the throwing and sleeping processors to be switched off");
        Assert.Contains("switched off after 50 failures", states.Single(p => p.Id == "throwing").Error, StringComparison.Ordinal);
        Assert.StartsWith("hung: OnResultsAsync", states.Single(p => p.Id == "sleeping").Error, StringComparison.Ordinal);
        Assert.Contains("ABI 2", states.Single(p => p.Id == "future").Error, StringComparison.Ordinal);
        Assert.Contains("outside the plugin's folder", states.Single(p => p.Id == "escape").Error, StringComparison.Ordinal);
        Assert.Equal(60, states.Single(p => p.Id == "ledger").BatchesProcessed);
    }

    [Fact]
    public async Task Directory_ProcessorDroppedThenRemoved_LoadedFedAndUnloadedWithoutRestart()
    {
        await using var server = await StartAsync();
        using var node = new NodeSessionClient(server.Client);
        await node.ConnectAsync(NodeSessionClient.Hello()).WaitAsync(Timeout);

        var folder = Add("ledger", "LedgerProcessor");
        await Eventually.GetAsync(async () => (await server.Http.GetFromJsonAsync<List<ProcessorView>>("/api/processors"))?.FirstOrDefault(p => p.State == "running"), Timeout, "the dropped processor to run");
        await node.SendBatchAsync(NodeSessionClient.Measurement(1, 1)).WaitAsync(Timeout);
        var ledger = Path.Combine(server.DataDirectory, "processors", "ledger", "ledger.txt");
        await Eventually.TrueAsync(() => File.Exists(ledger), Timeout, "the processor to hear the result");

        Directory.Delete(folder, recursive: true);

        await Eventually.TrueAsync(() => server.Http.GetFromJsonAsync<List<ProcessorView>>("/api/processors").Result!.Count == 0, Timeout, "the processor to be removed");
    }

    private Task<InProcessServer> StartAsync() =>
        InProcessServer.StartAsync("--Processors:Directory", _processors.Path, "--Processors:HangSeconds", "1", "--Processors:QuietMilliseconds", "100", "--Processors:RescanSeconds", "0.5");

    private string Add(string id, string entryType, int sdkAbi = 1, string assembly = "CctvEdge.TestProcessors.dll")
    {
        var folder = _processors.Combine(id);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""
            { "id": "{{id}}", "version": "1.0.0", "sdkAbi": {{sdkAbi}}, "assembly": "{{assembly}}", "entryType": "CctvEdge.TestProcessors.{{entryType}}" }
            """);
        return folder;
    }

    private sealed record ProcessorView(string Id, string Version, string State, string Error, long BatchesProcessed, long BatchesDropped, long Errors, long CallsOverBudget);
}
