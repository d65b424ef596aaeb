using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Infrastructure;

/// <summary>
/// Opens configured SQLite connections: one per operation. Reads run concurrently under WAL; writes go through
/// <see cref="BeginWriteAsync"/>, which admits one writer at a time in this process, so that no request ever
/// meets "database is locked" from a sibling request.
/// </summary>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteConnectionFactory(string databasePath, int busyTimeoutMilliseconds)
    {
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, busyTimeoutMilliseconds / 1000),
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(_pragmas, cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs one write statement in its own transaction. Returns the rows it changed, or null when a primary-key or
    /// unique constraint refused it: the constraint decides, never a read before the write.
    /// </summary>
    public async Task<int?> ExecuteWriteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        int affected;
        try
        {
            affected = await write.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, write.Transaction, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e))
        {
            return null;
        }
        await write.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>Waits for the process's write turn, then opens a connection and begins an IMMEDIATE transaction.</summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            return new WriteScope(connection, transaction, _writeGate);
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync();
            _writeGate.Release();
            throw;
        }
    }
}

/// <summary>One write transaction. Disposing it without <see cref="CommitAsync"/> rolls back.</summary>
public sealed class WriteScope(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim gate) : IAsyncDisposable
{
    public SqliteConnection Connection { get; } = connection;
    public SqliteTransaction Transaction { get; } = transaction;

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            gate.Release();
        }
    }
}
