namespace CctvEdge.Server.Storage.Database;

/// <summary>
/// The SQL spellings SQLite and PostgreSQL do not share. Everything else is written once: both accept
/// <c>ON CONFLICT ... DO NOTHING / DO UPDATE</c>, <c>RETURNING</c>, <c>IS [NOT] DISTINCT FROM</c>, <c>CAST(x AS INTEGER)</c>.
/// </summary>
internal sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new("sqlite", "MAX", "MIN", listsAreArrays: false);

    public static readonly SqlDialect Postgres = new("postgres", "GREATEST", "LEAST", listsAreArrays: true);

    private readonly string _greatest;
    private readonly string _least;
    private readonly bool _listsAreArrays;

    private SqlDialect(string name, string greatest, string least, bool listsAreArrays)
    {
        Name = name;
        _greatest = greatest;
        _least = least;
        _listsAreArrays = listsAreArrays;
    }

    /// <summary>The engine's name as <c>Server:Database</c> spells it.</summary>
    public string Name { get; }

    /// <summary>
    /// The larger of two values: SQLite's MAX(a, b) is a scalar there, an aggregate error on PostgreSQL. Both are
    /// NULL-safe only for non-NULL values: MAX(a, NULL) is NULL, GREATEST(a, NULL) is a; COALESCE when NULL may come.
    /// </summary>
    public string Greatest(string a, string b) => $"{_greatest}({a}, {b})";

    /// <summary>The smaller of two values (see <see cref="Greatest"/>).</summary>
    public string Least(string a, string b) => $"{_least}({a}, {b})";

    /// <summary>
    /// <paramref name="column"/> is one of the values of list parameter <paramref name="list"/>. Dapper expands a list
    /// into <c>(@Ids1, @Ids2, ...)</c> on SQLite but sends it to Npgsql as one array, which only <c>= ANY</c> reads.
    /// </summary>
    public string In(string column, string list) => _listsAreArrays ? $"{column} = ANY({list})" : $"{column} IN {list}";

    /// <summary>The opposite of <see cref="In"/>; true for every row when the list is empty, on both engines.</summary>
    public string NotIn(string column, string list) => _listsAreArrays ? $"NOT ({column} = ANY({list}))" : $"{column} NOT IN {list}";

    public override string ToString() => Name;
}
