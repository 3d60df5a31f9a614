namespace CctvEdge.Testing;

/// <summary>Polls a condition until it holds or a timeout passes; every wait in a test has a limit.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe().ConfigureAwait(false) is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
            {
                last = ex;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}." + (last is null ? "" : $" Last error: {last.Message}"));
    }

    /// <summary>As <see cref="GetAsync{T}"/>, for value types (null means "not yet").</summary>
    public static async Task<T> GetValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : struct =>
        (await GetAsync<object>(async () => await probe().ConfigureAwait(false) is { } value ? value : null, timeout, what).ConfigureAwait(false)) is T found
            ? found
            : throw new InvalidOperationException("unreachable");

    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        await GetAsync<object>(() => Task.FromResult<object?>(condition() ? new object() : null), timeout, what).ConfigureAwait(false);
    }

    /// <summary>As <see cref="TrueAsync(Func{bool}, TimeSpan, string)"/>, for a condition that has to ask (HTTP, a database).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        await GetAsync<object>(async () => await condition().ConfigureAwait(false) ? new object() : null, timeout, what).ConfigureAwait(false);
    }
}
