using CctvEdge.Harness;
using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

/// <summary>What the plugin tests share: a temporary folder, plugin folders, a real outbox and reading what reached it.</summary>
public abstract class PluginTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    protected static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private protected TempDirectory Temp { get; } = new();

    private protected PluginFolders Folders { get; } = new();

    private protected TestOutbox Outbox { get; private set; } = null!;

    public async Task InitializeAsync() => Outbox = await TestOutbox.OpenAsync();

    public async Task DisposeAsync()
    {
        await Outbox.DisposeAsync();
        Folders.Dispose();
        Temp.Dispose();
    }

    /// <summary>Every result in the outbox so far.</summary>
    private protected IReadOnlyList<Protocol.V1.Result> All() => Outbox.Results.ReadAfterAsync(0, 100_000, CancellationToken.None).Result;

    private protected int Results(string pluginId) => All().Count(r => r.PluginId == pluginId);
}
