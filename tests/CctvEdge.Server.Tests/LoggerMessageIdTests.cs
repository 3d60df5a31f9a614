using CctvEdge.Testing;

namespace CctvEdge.Server.Tests;

public sealed class LoggerMessageIdTests
{
    [Fact]
    public void LoggerMessages_ServerProcess_EventIdsUnique()
    {
        Assert.Null(LoggerMessageIds.Problems(typeof(CctvEdge.Server.Hosting.ServerHostExtensions).Assembly));
    }
}
