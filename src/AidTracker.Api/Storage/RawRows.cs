using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AidTracker.Api.Storage;

/// <summary>
/// A query's rows as cells of UTF-8 text, for exports of a million rows: each cell is valid until the next
/// <see cref="StepAsync"/>, and numbers read as their decimal text.
/// </summary>
public abstract class RawRows : IDisposable
{
    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract ValueTask<bool> StepAsync(CancellationToken cancellationToken);

    /// <summary>The cell's UTF-8 text; empty for NULL and for the empty string alike (see <see cref="IsNull"/>).</summary>
    public abstract ReadOnlySpan<byte> Cell(int column);

    public abstract bool IsNull(int column);

    public abstract void Dispose();
}

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

/// <summary>Rows of an ADO.NET reader (PostgreSQL), each cell encoded once into a buffer of its column that is reused row after row.</summary>
public sealed class ReaderRows(DbCommand command, DbDataReader reader) : RawRows
{
    private readonly byte[][] _cells = Enumerable.Range(0, reader.FieldCount).Select(_ => new byte[64]).ToArray();
    private readonly int[] _lengths = new int[reader.FieldCount];

    public override async ValueTask<bool> StepAsync(CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken)) return false;
        Array.Fill(_lengths, -1);
        return true;
    }

    public override ReadOnlySpan<byte> Cell(int column)
    {
        if (_lengths[column] < 0)
        {
            var text = reader.IsDBNull(column) ? "" : reader.GetValue(column) switch
            {
                string s => s,
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_cells[column].Length < needed) _cells[column] = new byte[Math.Max(needed, _cells[column].Length * 2)];
            _lengths[column] = Encoding.UTF8.GetBytes(text, _cells[column]);
        }
        return _cells[column].AsSpan(0, _lengths[column]);
    }

    public override bool IsNull(int column) => reader.IsDBNull(column);

    public override void Dispose()
    {
        reader.Dispose();
        command.Dispose();
    }
}
