using System.Data;
using CctvEdge.Protocol.V1;
using Dapper;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace CctvEdge.Node.Outbox;

/// <summary>The SQL for result rows, shared by the outbox and the clip queue (which appends results in its own transactions).</summary>
internal static class ResultRows
{
    /// <summary>Inserts a result inside <paramref name="transaction"/> (and tracks the event it opens or closes); sets and returns its sequence.</summary>
    public static async Task<ulong> InsertAsync(SqliteConnection connection, IDbTransaction transaction, Result result, long nowMs)
    {
        result.Sequence = 0;
        var sequence = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO results (payload, created_ms) VALUES (@Payload, @Now) RETURNING sequence",
            new { Payload = result.ToByteArray(), Now = nowMs },
            transaction).ConfigureAwait(false);
        result.Sequence = (ulong)sequence;
        await OpenEventRows.TrackAsync(connection, transaction, result).ConfigureAwait(false);
        return result.Sequence;
    }

    public static Result Read(long sequence, byte[] payload)
    {
        var result = Result.Parser.ParseFrom(payload);
        result.Sequence = (ulong)sequence;
        return result;
    }
}
