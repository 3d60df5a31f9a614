using Microsoft.Extensions.Options;

namespace CctvEdge.Server.Tests;

/// <summary>Options that never change, for the services that read them through a monitor.</summary>
internal sealed class Fixed<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
