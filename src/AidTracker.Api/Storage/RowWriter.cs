using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace AidTracker.Api.Storage;

/// <summary>
/// Many rows into one table inside a write (imports, the copy verb): a prepared INSERT on SQLite, binary COPY on
/// PostgreSQL, where a round trip a row made a 1M-row import take 292 s. Values are longs, strings or null.
/// </summary>
public abstract class RowWriter : IAsyncDisposable
{
    public abstract ValueTask WriteAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken);

    /// <summary>Ends the rows; a writer disposed without it writes nothing (COPY) or leaves the rows to the transaction's rollback.</summary>
    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>One prepared INSERT, executed a row at a time. Parameter names carry their '@': without it, Microsoft.Data.Sqlite tries each prefix in turn on every execution.</summary>
public sealed class InsertRowWriter : RowWriter
{
    private readonly DbCommand _insert;
    private readonly DbParameter[] _parameters;

    private InsertRowWriter(DbCommand insert, DbParameter[] parameters) => (_insert, _parameters) = (insert, parameters);

    public static async Task<RowWriter> BeginAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var insert = write.Connection.CreateCommand();
        insert.Transaction = write.Transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"@c{i}";
            parameter.Value = DBNull.Value;
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await insert.PrepareAsync(cancellationToken);
        return new InsertRowWriter(insert, parameters);
    }

    public override async ValueTask WriteAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _parameters.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
        await _insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override ValueTask DisposeAsync() => _insert.DisposeAsync();
}

/// <summary>PostgreSQL's binary COPY: one stream for all the rows. Triggers fire for each row as for an INSERT.</summary>
public sealed class CopyRowWriter(NpgsqlBinaryImporter importer) : RowWriter
{
    public static async Task<RowWriter> BeginAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        new CopyRowWriter(await ((NpgsqlConnection)write.Connection).BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken));

    public override async ValueTask WriteAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        foreach (var value in values)
        {
            switch (value)
            {
                case null or DBNull: await importer.WriteNullAsync(cancellationToken); break;
                case long number: await importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken); break;
                case int number: await importer.WriteAsync((long)number, NpgsqlDbType.Bigint, cancellationToken); break;
                default: await importer.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken); break;
            }
        }
    }

    /// <summary>Completes the COPY and hands the connection back: Npgsql keeps it in its COPY state until the importer is disposed.</summary>
    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await importer.CompleteAsync(cancellationToken);
        await importer.DisposeAsync();
    }

    public override ValueTask DisposeAsync() => importer.DisposeAsync();
}
