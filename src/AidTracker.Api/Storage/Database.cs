using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using AidTracker.Api.Common;
using Dapper;

namespace AidTracker.Api.Storage;

/// <summary>
/// The database, whichever engine holds it: connections, one per operation, and the SQL <see cref="Dialect"/> where
/// the engines differ. Writes go through <see cref="BeginWriteAsync"/>, which admits one writer at a time (in this
/// process, and across every instance on a shared server), so that the change clock stays in commit order and no
/// request ever meets a lock error from a sibling. The hottest reads use <see cref="RentReaderAsync"/>: a
/// connection kept open with its prepared statements.
/// </summary>
public abstract class Database : IDisposable
{
    /// <summary>
    /// Kept-open readers, and so concurrent list queries, at most. Reads are CPU-bound, so more than a few per core
    /// only adds connections and cold caches: on 2 cores, 4, 8 and 32 gave the same throughput (SQLite).
    /// </summary>
    private static readonly int MaxReaders = 4 * Environment.ProcessorCount;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentBag<PreparedReader> _idleReaders = [];
    private readonly SemaphoreSlim _readerSlots = new(MaxReaders, MaxReaders);

    protected Database(SqlDialect dialect) => Dialect = dialect;

    public SqlDialect Dialect { get; }

    /// <summary>Where the data lives, for logs and verbs' messages (never a password).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Null when the database is there and answers; otherwise a sentence for a verb's message saying where it looked
    /// and what is missing. Opening a connection would create a SQLite file, so a verb asks this first: a mistyped
    /// path must not become a new, empty database.
    /// </summary>
    public abstract Task<string?> WhyUnavailableAsync(CancellationToken cancellationToken = default);

    /// <summary>This engine's numbered migrations (Storage/&lt;Engine&gt;/Migrations, one numbering for both), in version order.</summary>
    public abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>
    /// Checks the engine and brings the schema to this build's version: applies <see cref="Migrations"/> through
    /// <see cref="MigrationRunner"/>, with what the engine needs around them. Returns the versions applied.
    /// </summary>
    public abstract Task<IReadOnlyList<int>> PrepareAsync(TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default);

    /// <summary>
    /// An open connection for reads: a replica when <c>Database:ReadConnectionString</c> names one. While it is open,
    /// cancelling <paramref name="cancellationToken"/> (the request's time limit, or the client going away) stops
    /// what the engine is running on it.
    /// </summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>An open connection to the primary, for work that must see the latest write or may write.</summary>
    public abstract Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken = default);

    /// <summary>A read connection that outlives requests: each rent stops it on its own token (<see cref="StopOnCancel"/>).</summary>
    protected abstract Task<DbConnection> OpenKeptAsync(CancellationToken cancellationToken);

    /// <summary>Stops the statement running on <paramref name="connection"/> when the token is cancelled; null when the engine does that itself.</summary>
    protected internal virtual IDisposable? StopOnCancel(DbConnection connection, CancellationToken cancellationToken) => null;

    /// <summary>Begins the transaction of a write on a primary connection, holding the engine's write lock.</summary>
    protected abstract Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A read transaction in which every statement sees the same committed state.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="sql"/> as UTF-8 cells (<see cref="RawRows"/>), inside <paramref name="snapshot"/>.</summary>
    public abstract Task<RawRows> ReadRawAsync(
        DbConnection connection, DbTransaction snapshot, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken);

    /// <summary>Readies a write of many rows (SQLite: a page cache big enough for it); <see cref="EndBulkWriteAsync"/> puts the connection back.</summary>
    public virtual Task BeginBulkWriteAsync(WriteScope write, CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task EndBulkWriteAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>
    /// Sets the donations insert triggers (search index, rollup, data version; which they are is the engine's schema)
    /// aside for the rest of the transaction, for a write of many rows whose triggers' work is done once for all of
    /// them; <see cref="TriggersAside.EndAsync"/> does that work and brings them back, and a rollback brings them back
    /// too. No other connection ever sees the database without them.
    /// </summary>
    public abstract Task<TriggersAside> SetInsertTriggersAsideAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>A writer of many rows into <paramref name="table"/> inside <paramref name="write"/> (<see cref="RowWriter"/>).</summary>
    public abstract Task<RowWriter> BeginRowsAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>After many rows arrived: the planner's statistics that are stale are taken again.</summary>
    public abstract Task RefreshStatisticsAsync(DbConnection connection);

    /// <summary>
    /// Copies the whole database into <paramref name="target"/>, a new file, as one consistent snapshot while writes
    /// carry on, then checks the copy and counts its donations. Throws <see cref="NotSupportedException"/>, its message
    /// saying what to use instead, where the engine's own tools make backups.
    /// </summary>
    public abstract Task<BackupResult> BackupAsync(string target, CancellationToken cancellationToken = default);

    /// <summary>
    /// A connection with its prepared statements, from the idle readers or newly opened, once one of the reader slots
    /// is free. Dispose returns it.
    /// </summary>
    public async Task<PreparedReader> RentReaderAsync(CancellationToken cancellationToken)
    {
        await _readerSlots.WaitAsync(cancellationToken);
        try
        {
            var reader = _idleReaders.TryTake(out var idle) ? idle : new PreparedReader(await OpenKeptAsync(cancellationToken), this);
            reader.StopOn(cancellationToken);
            return reader;
        }
        catch
        {
            _readerSlots.Release();
            throw;
        }
    }

    internal void Return(PreparedReader reader)
    {
        _idleReaders.Add(reader);
        _readerSlots.Release();
    }

    public virtual void Dispose()
    {
        while (_idleReaders.TryTake(out var reader)) reader.Close();
        GC.SuppressFinalize(this);
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
        catch (DbException e) when (Dialect.IsUniqueViolation(e))
        {
            return null;
        }
        await write.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>The stamp of the latest change or release (<see cref="WriteScope.LatestChange"/>); null in an empty database.</summary>
    public async Task<string?> LatestChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenPrimaryAsync(cancellationToken);
        return await connection.QuerySingleAsync<string?>(new CommandDefinition(WriteScope.LatestChange, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Waits for the write turn, then opens a primary connection and begins a transaction that holds the write lock.
    /// Cancelled while it waits (the request's time limit, say), it throws <see cref="WriteLockBusyException"/>.
    /// </summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        var admitted = false;
        DbConnection? connection = null;
        try
        {
            await _writeGate.WaitAsync(cancellationToken);
            admitted = true;
            connection = await OpenPrimaryAsync(cancellationToken);
            var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
            return new WriteScope(connection, transaction, Dialect, _writeGate);
        }
        catch (Exception e)
        {
            if (connection is not null) await connection.DisposeAsync();
            if (admitted) _writeGate.Release();
            if (cancellationToken.IsCancellationRequested && (e is OperationCanceledException || Dialect.IsCancelled(e))) throw new WriteLockBusyException(e);
            throw;
        }
    }
}

/// <summary>
/// A write was stopped while it waited for the write lock, which another write held (an import, say): nothing was
/// written. Not an <see cref="OperationCanceledException"/>, so that the request's answer says this, not "a slow query".
/// </summary>
public sealed class WriteLockBusyException(Exception inner)
    : Exception("Stopped while waiting for the write lock, which another write held.", inner);

/// <summary>
/// A write refused inside its transaction, which is then rolled back: what the database holds would break a rule that
/// only the write's own transaction can check (a published record citing a draft). Answered as a problem of
/// <see cref="Status"/> naming <see cref="Field"/>.
/// </summary>
public sealed class WriteRefusedException(int status, string name, string message) : Exception(message)
{
    public int Status => status;

    public string Field => name;
}

/// <summary>
/// What <see cref="Database.BackupAsync"/> copied: the copy's integrity check (<c>ok</c> alone when it is sound), its
/// donations (a deleted one stays, as a tombstone with its history, and is counted apart from the live ones), its size.
/// </summary>
public sealed record BackupResult(IReadOnlyList<string> IntegrityCheck, long Donations, long DeletedDonations, long Bytes)
{
    public bool IsSound => IntegrityCheck is ["ok"];
}

/// <summary>Insert triggers set aside inside one transaction (<see cref="Database.SetInsertTriggersAsideAsync"/>).</summary>
public abstract class TriggersAside
{
    /// <summary>
    /// Runs <paramref name="work"/>, the triggers' work done once for all the rows, with <paramref name="parameters"/>,
    /// and brings the triggers back, in the same transaction and in the order the engine needs.
    /// </summary>
    public abstract Task EndAsync(string work, object? parameters, CancellationToken cancellationToken);
}

/// <summary>One write transaction. Disposing it without <see cref="CommitAsync"/> rolls back.</summary>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, SemaphoreSlim gate) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    /// <summary>The engine's SQL fragments, for a write whose SQL needs them (JSON built in SQL).</summary>
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>The latest moment any change or release is stamped with.</summary>
    public const string LatestChange = """
        SELECT max(at) FROM (
            SELECT max(changed_at) AS at FROM donation_history
            UNION ALL SELECT max(changed_at) FROM country_history
            UNION ALL SELECT max(changed_at) FROM weapon_system_history
            UNION ALL SELECT max(changed_at) FROM source_history
            UNION ALL SELECT max(changed_at) FROM package_history
            UNION ALL SELECT max(as_of) FROM releases) latest
        """;

    private string? _changedAt;

    /// <summary>
    /// The stamp of this transaction's changes, taken once the write lock is held: the clock, but always later than
    /// every change and release already stored. So stamp order is commit order, and nothing written after a release
    /// can fall inside its as_of, even when the clock steps back (or another instance's clock runs ahead).
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

    private readonly DbConnection _connection;
    private readonly Database _owner;
    private readonly Dictionary<string, (DbCommand Command, Dictionary<string, DbParameter> Parameters)> _statements = new(StringComparer.Ordinal);
    private IDisposable? _stop;

    internal PreparedReader(DbConnection connection, Database owner) => (_connection, _owner) = (connection, owner);

    /// <summary>
    /// The command for <paramref name="sql"/>, prepared once, with these parameters bound (null as NULL). A statement's
    /// parameters are created once and get new values on each use: Npgsql keeps binding the parameter objects it parsed
    /// the statement with, so a cleared and refilled collection ran with the previous request's values.
    /// </summary>
    public DbCommand Command(string sql, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            if (_statements.Count >= MaxStatements) ClearStatements();
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, statement = (command, new Dictionary<string, DbParameter>(StringComparer.Ordinal)));
        }
        foreach (var parameter in statement.Parameters.Values) parameter.Value = DBNull.Value;
        foreach (var (name, value) in parameters)
        {
            if (!statement.Parameters.TryGetValue(name, out var parameter))
            {
                parameter = statement.Command.CreateParameter();
                parameter.ParameterName = "@" + name;
                statement.Command.Parameters.Add(parameter);
                statement.Parameters.Add(name, parameter);
            }
            parameter.Value = value ?? DBNull.Value;
        }
        return statement.Command;
    }

    internal void StopOn(CancellationToken cancellationToken) => _stop = _owner.StopOnCancel(_connection, cancellationToken);

    public void Dispose()
    {
        _stop?.Dispose();
        _stop = null;
        _owner.Return(this);
    }

    internal void Close()
    {
        ClearStatements();
        _connection.Dispose();
    }

    private void ClearStatements()
    {
        foreach (var (command, _) in _statements.Values) command.Dispose();
        _statements.Clear();
    }
}
