using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class LoggerMessageIdTests
{
    [Fact]
    public void LoggerMessages_ServerProcess_EventIdsUnique()
    {
        var program = typeof(CctvEdge.Server.Hosting.ServerHostExtensions).Assembly;

        var duplicates = LoggerMessageIds.Duplicates(program);

        // The scan must see the program's messages and Storage's, or an empty result proves nothing.
        var scanned = LoggerMessageIds.Scan(program);
        Assert.Contains(scanned, m => m.Name.EndsWith("(CctvEdge.Storage)", StringComparison.Ordinal));
        Assert.Contains(scanned, m => m.Name.EndsWith($"({program.GetName().Name})", StringComparison.Ordinal));
        Assert.True(duplicates.Count == 0, "Event ids used more than once in one process:" + Environment.NewLine + string.Join(
            Environment.NewLine, duplicates.Select(d => $"  {d.Key}: {string.Join(", ", d.Value)}")));
    }
}
