using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AidTracker.Api.Storage.Sqlite;

/// <summary>
/// Rows read straight from SQLite's buffers: each cell is a span of SQLite's own text (it writes numbers as text).
/// ADO.NET would allocate a string or an array for every cell. The connection stays Microsoft.Data.Sqlite's; only
/// the statement is raw.
/// </summary>
public sealed class SqliteRawRows : RawRows
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteRawRows(SqliteConnection connection, string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        try
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(_statement, "@" + name);
                if (index == 0) continue;
                Check(value switch
                {
                    null => raw.sqlite3_bind_null(_statement, index),
                    long number => raw.sqlite3_bind_int64(_statement, index, number),
                    int number => raw.sqlite3_bind_int64(_statement, index, number),
                    string text => raw.sqlite3_bind_text(_statement, index, text),
                    _ => throw new ArgumentException($"Parameter {name} has the unsupported type {value.GetType()}.", nameof(parameters)),
                });
            }
        }
        catch
        {
            _statement.Dispose();
            throw;
        }
    }

    public override ValueTask<bool> StepAsync(CancellationToken cancellationToken)
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return ValueTask.FromResult(true);
        if (rc != raw.SQLITE_DONE) Check(rc);
        return ValueTask.FromResult(false);
    }

    public override ReadOnlySpan<byte> Cell(int column) => raw.sqlite3_column_blob(_statement, column);

    public override bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public override void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
    }
}
