using System.Data.Common;

namespace AidTracker.Api.Storage.Sqlite;

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
