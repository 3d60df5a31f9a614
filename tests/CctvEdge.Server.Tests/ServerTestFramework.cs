using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("CctvEdge.Server.Tests.ServerTestFramework", "CctvEdge.Server.Tests")]

namespace CctvEdge.Server.Tests;

/// <summary>
/// xUnit's own framework, plus an end of run: what lives as long as the run (the PostgreSQL cluster of
/// <see cref="TestEngine"/>) is stopped and deleted here, while the test host still waits for it; a process-exit
/// handler would be cut short when the runner ends the host.
/// </summary>
public sealed class ServerTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink), IDisposable
{
    public new void Dispose()
    {
        TestEngine.StopAsync().GetAwaiter().GetResult();
        base.Dispose();
    }
}
