using System.Collections.Concurrent;
using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Infrastructure;

/// <summary>
/// Opens configured SQLite connections: one per operation. Reads run concurrently under WAL; writes go through
/// <see cref="BeginWriteAsync"/>, which admits one writer at a time in this process, so that no request ever
/// meets "database is locked" from a sibling request. The hottest reads use <see cref="RentReaderAsync"/>: a
/// connection kept open with its prepared statements.
/// </summary>
public sealed class SqliteConnectionFactory : IDisposable
{
    /// <summary>
    /// Kept-open readers, and so concurrent list queries, at most. SQLite work is CPU-bound, so more than a few per
    /// core only adds open files and cold page caches: on 2 cores, 4, 8 and 32 gave the same throughput.
    /// </summary>
    private static readonly int MaxReaders = 4 * Environment.ProcessorCount;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentBag<PreparedReader> _idleReaders = [];
    private readonly SemaphoreSlim _readerSlots = new(MaxReaders, MaxReaders);

    /// <summary>
    /// Process-wide SQLite settings, made before the library initialises. Memory statistics off: with them on,
    /// every allocation takes one global mutex, and concurrent page reads spent a third of their time waiting on
    /// it. Multi-thread mode: an ADO.NET connection is never used by two threads at once, so SQLite need not lock
    /// each call. Both fail harmlessly (SQLITE_MISUSE) if something opened a database first; the initializer logs it.
    /// </summary>
    static SqliteConnectionFactory()
    {
        SQLitePCL.Batteries_V2.Init();
        ProcessTuned = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0) == SQLitePCL.raw.SQLITE_OK
            & SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD) == SQLitePCL.raw.SQLITE_OK;
    }

    /// <summary>Whether the process-wide settings above took effect.</summary>
    public static bool ProcessTuned { get; }

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
        // temp_store: a write's statement journal (its triggers need one) stays in memory instead of a temporary file:
        // an import wrote it 29 times a row. It cannot change once a transaction is open, so it is set for all.
        _pragmas = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;";
    }

    public string DatabasePath { get; }

    /// <summary>
    /// An open connection. While it is open, cancelling <paramref name="cancellationToken"/> (the request's time limit,
    /// or the client going away) interrupts whatever SQLite is running on it: Microsoft.Data.Sqlite checks the token
    /// only between calls, so a long query would otherwise run to its end.
    /// </summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken, interruptOnCancel: true);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool interruptOnCancel)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(_pragmas, cancellationToken: cancellationToken));
            if (interruptOnCancel && cancellationToken.CanBeCanceled)
            {
                var interrupt = InterruptOnCancel(connection, cancellationToken);
                connection.StateChange += (_, change) =>
                {
                    if (change.CurrentState == ConnectionState.Closed) interrupt.Dispose();
                };
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A connection with its prepared statements, from the idle readers or newly opened, once one of the reader slots
    /// is free. Dispose returns it.
    /// </summary>
    public async Task<PreparedReader> RentReaderAsync(CancellationToken cancellationToken)
    {
        await _readerSlots.WaitAsync(cancellationToken);
        try
        {
            // A kept-open reader serves many requests: each rent interrupts on its own request's token.
            var reader = _idleReaders.TryTake(out var idle) ? idle : new PreparedReader(await OpenAsync(cancellationToken, interruptOnCancel: false), this);
            reader.InterruptOn(cancellationToken);
            return reader;
        }
        catch
        {
            _readerSlots.Release();
            throw;
        }
    }

    /// <summary>sqlite3_interrupt on <paramref name="connection"/> when the token is cancelled, until the registration is disposed.</summary>
    internal static CancellationTokenRegistration InterruptOnCancel(SqliteConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)state!).Handle), connection);

    internal void Return(PreparedReader reader)
    {
        _idleReaders.Add(reader);
        _readerSlots.Release();
    }

    public void Dispose()
    {
        while (_idleReaders.TryTake(out var reader)) reader.Close();
    }

    /// <summary>
    /// Runs one write statement in its own transaction. Returns the rows it changed, or null when a primary-key or
    /// unique constraint refused it: the constraint decides, never a read before the write. <c>@At</c> is the
    /// change's stamp (<see cref="WriteScope.ChangedAtAsync"/>).
    /// </summary>
    public async Task<int?> ExecuteWriteAsync(string sql, object parameters, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        var withAt = new DynamicParameters(parameters);
        withAt.Add("At", await write.ChangedAtAsync(clock, cancellationToken));
        int affected;
        try
        {
            affected = await write.Connection.ExecuteAsync(new CommandDefinition(sql, withAt, write.Transaction, cancellationToken: cancellationToken));
        }
        catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e))
        {
            return null;
        }
        await write.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>The stamp of the latest change or release (<see cref="WriteScope.LatestChange"/>); null in an empty database.</summary>
    public async Task<string?> LatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<string?>(new CommandDefinition(WriteScope.LatestChange, cancellationToken: cancellationToken));
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

    /// <summary>The latest moment any change or release is stamped with.</summary>
    public const string LatestChange = """
        SELECT max(at) FROM (
            SELECT max(changed_at) AS at FROM donation_history
            UNION ALL SELECT max(changed_at) FROM country_history
            UNION ALL SELECT max(changed_at) FROM weapon_system_history
            UNION ALL SELECT max(as_of) FROM releases)
        """;

    private string? _changedAt;

    /// <summary>
    /// The stamp of this transaction's changes, taken once the write lock is held: the clock, but always later than
    /// every change and release already stored. So stamp order is commit order, and nothing written after a release
    /// can fall inside its as_of, even when the clock steps back.
    /// </summary>
    public async Task<string> ChangedAtAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        if (_changedAt is not null) return _changedAt;
        var latest = await Connection.QuerySingleAsync<string?>(new CommandDefinition(LatestChange, transaction: Transaction, cancellationToken: cancellationToken));
        var now = clock.GetUtcNow().UtcDateTime;
        if (latest is not null && Timestamps.Parse(latest) is var last && last >= now) now = last.AddTicks(1);
        return _changedAt = Timestamps.Format(now);
    }

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

/// <summary>
/// A read connection that keeps its prepared statements between uses. Microsoft.Data.Sqlite prepares a command's
/// SQL again for every new command; for a list page that was a tenth of its time. Statements are keyed by their
/// text, which the callers build from fixed fragments, so there are few; past <see cref="MaxStatements"/> the
/// cache starts over. Use it from one request at a time, and dispose it to hand it back.
/// </summary>
public sealed class PreparedReader : IDisposable
{
    private const int MaxStatements = 200;

    private readonly SqliteConnection _connection;
    private readonly SqliteConnectionFactory _owner;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    internal PreparedReader(SqliteConnection connection, SqliteConnectionFactory owner) => (_connection, _owner) = (connection, owner);

    /// <summary>The command for <paramref name="sql"/>, prepared once, with these parameters bound (null as NULL).</summary>
    public SqliteCommand Command(string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            if (_statements.Count >= MaxStatements) ClearStatements();
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
        return command;
    }

    private CancellationTokenRegistration _interrupt;

    internal void InterruptOn(CancellationToken cancellationToken) => _interrupt = SqliteConnectionFactory.InterruptOnCancel(_connection, cancellationToken);

    public void Dispose()
    {
        _interrupt.Dispose();
        _interrupt = default;
        _owner.Return(this);
    }

    internal void Close()
    {
        ClearStatements();
        _connection.Dispose();
    }

    private void ClearStatements()
    {
        foreach (var command in _statements.Values) command.Dispose();
        _statements.Clear();
    }
}
