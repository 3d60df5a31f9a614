using CctvEdge.Testing;

namespace CctvEdge.Node.Tests;

public sealed class LoggerMessageIdTests
{
    [Fact]
    public void LoggerMessages_NodeProcess_EventIdsUnique()
    {
        Assert.Null(LoggerMessageIds.Problems(typeof(CctvEdge.Node.NodeRuntime).Assembly));
    }
}
