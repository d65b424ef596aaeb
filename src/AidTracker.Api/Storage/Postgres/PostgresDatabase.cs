using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace AidTracker.Api.Storage.Postgres;

/// <summary>
/// A PostgreSQL database that several instances may share. Writes take a transaction-scoped advisory lock, so one
/// write runs at a time across every instance: the change clock (<see cref="WriteScope.ChangedAtAsync"/>) stays in
/// commit order, as it does on SQLite. Reads go to <c>Database:ReadConnectionString</c> when it is set (a replica,
/// or several hosts with Npgsql's Target Session Attributes), else to the primary. Npgsql cancels a running
/// statement itself when its token is cancelled.
/// </summary>
public sealed class PostgresDatabase : Database
{
    /// <summary>The advisory lock of writes: any constant that no other application on the server uses.</summary>
    private const long WriteLock = 0x41696454_72616B72; // "AidTrakr"

    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource _reads;

    public PostgresDatabase(string connectionString, string? readConnectionString) : base(PostgresDialect.Instance)
    {
        _primary = Build(connectionString);
        _reads = string.IsNullOrWhiteSpace(readConnectionString) ? _primary : Build(readConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    // Unless the connection string says otherwise: statements that run often are prepared on each physical connection
    // after a few uses (Npgsql's automatic preparation), and no command times out by Npgsql's clock (30 s by default):
    // requests have their own time limit, which cancels their statements, and a verb's 1M-row import ends with the
    // statement's foreign-key checks and trigger events, which took longer than 30 s.
    // And the sessions do not JIT-compile (Options=-c jit=off): on the 1M-row bench the compilation cost the stats
    // statements 8-15% more than it saved, and once a session has compiled one statement it has loaded LLVM, which
    // every parallel worker it starts from then on loads again (PostgreSQL restores the leader's libraries in each
    // worker): about 10 ms more on each parallel statement for the life of the pooled connection. A startup option, not
    // a SET: Npgsql resets a pooled connection with RESET ALL, which returns to the startup value. A string that names
    // Options keeps its own.
    private static NpgsqlDataSource Build(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        // What the string itself says: Npgsql's own builder knows every key, so it would say every key is there.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) settings.MaxAutoPrepare = 64;
        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout")) settings.CommandTimeout = 0;
        if (!given.ContainsKey("Options")) settings.Options = SessionOptions;
        return builder.Build();
    }

    /// <summary>The server settings of every session the service opens, unless its connection string names Options.</summary>
    private const string SessionOptions = "-c jit=off";

    public override string Description { get; }

    /// <summary>
    /// The database a connection string names, for a verb: null and why not when the string is not one, or when the
    /// database does not answer. A PostgreSQL database is made by its server's owner, never by a verb.
    /// </summary>
    public static async Task<(Database? Database, string Problem)> ConnectAsync(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return (null, $"'{connectionString}' is not an Npgsql connection string: {e.Message}");
        }
        var database = new PostgresDatabase(connectionString, null);
        if (await database.WhyUnavailableAsync() is not { } missing) return (database, "");
        database.Dispose();
        return (null, missing);
    }

    /// <summary>On PostgreSQL a missing database is one that refuses the connection: not created, mistyped, or unreachable.</summary>
    public override async Task<string?> WhyUnavailableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _primary.OpenConnectionAsync(cancellationToken);
            return null;
        }
        catch (NpgsqlException e)
        {
            return $"cannot connect to {Description}: {e.Message}. Correct the connection string, or create the database on the server (CREATE DATABASE)";
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _reads.OpenConnectionAsync(cancellationToken);

    public override async Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken = default) =>
        await _primary.OpenConnectionAsync(cancellationToken);

    protected override Task<DbConnection> OpenKeptAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public override async Task<RawRows> ReadRawAsync(
        DbConnection connection, DbTransaction snapshot, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        try
        {
            command.Transaction = snapshot;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            return new PostgresRawRows(command, await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@WriteLock)", new { WriteLock }, transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    public override Task<RowWriter> BeginRowsAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        CopyRowWriter.BeginAsync(write, table, columns, cancellationToken);

    /// <summary>
    /// The donations insert triggers skip their work while the transaction's setting <c>aidtracker.bulk_insert</c> is
    /// on (the migrations wrote them so): dropping them would lock the table against readers until the commit. The
    /// setting is local to the transaction, so a rollback ends it too. It is turned off by the first statement of the
    /// work's batch, in one round trip with it.
    /// </summary>
    public override async Task<TriggersAside> SetInsertTriggersAsideAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL aidtracker.bulk_insert = 'on'", transaction: transaction, cancellationToken: cancellationToken));
        return new SkippingTriggers(connection, transaction);
    }

    // The search index reads each donation's evidence and its sources (donation_evidence_text). Rows this
    // transaction inserted are not in the planner's statistics, so a copy into an empty database planned that read as
    // a scan of all the evidence, once per donation: 100,000 donations did not finish in minutes. ANALYZE counts the
    // transaction's own rows.
    private sealed class SkippingTriggers(IDbConnection connection, IDbTransaction transaction) : TriggersAside
    {
        public override Task EndAsync(string work, object? parameters, CancellationToken cancellationToken) =>
            connection.ExecuteAsync(new CommandDefinition(
                $"SET LOCAL aidtracker.bulk_insert = 'off';\nANALYZE evidence, sources;\n{work}", parameters, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Refused: a PostgreSQL database is backed up with the server's own tools.</summary>
    public override Task<BackupResult> BackupAsync(string target, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the database is PostgreSQL; back it up with pg_dump (see docs/operations.md), not this verb.");

    public override Task RefreshStatisticsAsync(DbConnection connection) =>
        connection.ExecuteAsync("ANALYZE donations, donation_history, donation_search, donation_rollup");

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(() => MigrationRunner.LoadEmbedded("Storage/Postgres/Migrations/"));

    /// <summary>
    /// PostgreSQL's migrations, embedded from Storage/Postgres/Migrations, in version order. Its schema begins at the
    /// version SQLite's had reached when it arrived (0011, in one file); later changes come as a pair of the same number.
    /// </summary>
    public static IReadOnlyList<Migration> EmbeddedMigrations => Embedded.Value;

    public override IReadOnlyList<Migration> Migrations => EmbeddedMigrations;

    /// <summary>
    /// Migrates under a session-level advisory lock, so that instances starting together take turns: the first
    /// applies the migrations, the others find them applied.
    /// </summary>
    public override async Task<IReadOnlyList<int>> PrepareAsync(TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenPrimaryAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: cancellationToken));
        logger.LogInformation("PostgreSQL {PostgresVersion}, {Database}", version, Description);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@WriteLock)", new { WriteLock }, cancellationToken: cancellationToken));
        try
        {
            return await MigrationRunner.ApplyAsync(connection, Migrations, clock, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@WriteLock)", new { WriteLock });
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (!ReferenceEquals(_reads, _primary)) _reads.Dispose();
        _primary.Dispose();
    }
}
