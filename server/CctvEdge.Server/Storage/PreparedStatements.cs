using Microsoft.Data.Sqlite;

namespace CctvEdge.Server.Storage;

/// <summary>
/// Commands kept for the length of one transaction, one per SQL text, so a statement run for every result of a
/// batch is prepared by SQLite once, not once a row (which is what a fresh command per call costs, and was most of
/// the server's time per result while a node replayed its backlog).
/// </summary>
internal sealed class PreparedStatements(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="sql"/> with its parameters given by name, in the order of first use.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            _commands[sql] = command;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
