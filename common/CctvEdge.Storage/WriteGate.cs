using System.Data.Common;

namespace CctvEdge.Storage;

/// <summary>
/// One writer at a time, each in its own transaction on a fresh connection, committed when its work returns: the
/// write path of every database this code base opens (SQLite has one writer anyway; see the callers for others).
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<TConnection, T>(Func<CancellationToken, Task<TConnection>> open, Func<TConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        where TConnection : DbConnection
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await open(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
