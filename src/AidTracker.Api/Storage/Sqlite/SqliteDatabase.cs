using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Storage.Sqlite;

/// <summary>
/// A SQLite file. Reads run concurrently under WAL; the write gate admits one writer at a time in this process, and
/// SQLite's IMMEDIATE transaction is the lock against other processes (the <c>import</c> verb, the sqlite3 CLI).
/// </summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    /// <summary>
    /// Process-wide SQLite settings, made before the library initialises. Memory statistics off: with them on,
    /// every allocation takes one global mutex, and concurrent page reads spent a third of their time waiting on
    /// it. Multi-thread mode: an ADO.NET connection is never used by two threads at once, so SQLite need not lock
    /// each call. Both fail harmlessly (SQLITE_MISUSE) if something opened a database first; <see cref="PrepareAsync"/> logs it.
    /// </summary>
    static SqliteDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        ProcessTuned = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0) == SQLitePCL.raw.SQLITE_OK
            & SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD) == SQLitePCL.raw.SQLITE_OK;
    }

    /// <summary>Whether the process-wide settings above took effect.</summary>
    public static bool ProcessTuned { get; }

    public SqliteDatabase(string databasePath, int busyTimeoutMilliseconds) : base(SqliteDialect.Instance)
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

    /// <summary>3.51.3 fixes WAL-reset corruption; older bundles (3.49.1 in Microsoft.Data.Sqlite 10.0.x) also carry a published CVE.</summary>
    public static readonly Version MinimumSqliteVersion = new(3, 51, 3);

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(() => MigrationRunner.LoadEmbedded("Storage/Sqlite/Migrations/"));

    /// <summary>SQLite's migrations, embedded from Storage/Sqlite/Migrations, in version order.</summary>
    public static IReadOnlyList<Migration> EmbeddedMigrations => Embedded.Value;

    public override IReadOnlyList<Migration> Migrations => EmbeddedMigrations;

    /// <summary>Creates the file's folder, refuses a SQLite library older than <see cref="MinimumSqliteVersion"/>, turns on WAL, then migrates.</summary>
    public override async Task<IReadOnlyList<int>> PrepareAsync(TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = await OpenPrimaryAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken));
        logger.LogInformation("SQLite {SqliteVersion}, database {DatabasePath}", version, DatabasePath);
        EnsureSupported(version);
        if (!ProcessTuned)
        {
            logger.LogWarning("SQLite was initialised before its process settings (no memory statistics, multi-thread mode) could be made; reads will be slower.");
        }
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
        return await MigrationRunner.ApplyAsync(connection, Migrations, clock, cancellationToken);
    }

    public static void EnsureSupported(string? sqliteVersion)
    {
        if (!Version.TryParse(sqliteVersion, out var version) || version < MinimumSqliteVersion)
        {
            throw new InvalidOperationException(
                $"SQLite {sqliteVersion} is older than {MinimumSqliteVersion}, which fixes WAL-reset corruption. " +
                "Use Microsoft.Data.Sqlite 11.x or SQLitePCLRaw.lib.e_sqlite3 3.53.3 or later.");
        }
    }

    public override string Description => DatabasePath;

    public override Task<string?> WhyUnavailableAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(DatabasePath)
            ? null
            : $"no SQLite database at {DatabasePath}: correct Database:Path, or create the database with the init verb (or by starting the service once)");

    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken, stopOnCancel: true);

    public override Task<DbConnection> OpenPrimaryAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken, stopOnCancel: true);

    protected override Task<DbConnection> OpenKeptAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken, stopOnCancel: false);

    /// <summary>
    /// The online backup API into a new file: the copy reads one snapshot (WAL) and writers carry on. Then the copy's
    /// <c>PRAGMA integrity_check</c>, and its donations counted.
    /// </summary>
    public override async Task<BackupResult> BackupAsync(string target, CancellationToken cancellationToken = default)
    {
        await using var source = (SqliteConnection)await OpenAsync(cancellationToken, stopOnCancel: true);
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await copy.OpenAsync(cancellationToken);
        source.BackupDatabase(copy);
        var check = (await copy.QueryAsync<string>("PRAGMA integrity_check")).ToList();
        // A deleted donation stays, as a tombstone with its history; it is counted apart from the live ones.
        var (donations, deleted) = await copy.QuerySingleAsync<(long, long)>(
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM donations");
        return new BackupResult(check, donations, deleted, new FileInfo(target).Length);
    }

    /// <summary>
    /// The file at <paramref name="path"/>, for a verb: null and why not when <paramref name="mustExist"/> and it is
    /// missing, or when its folder is (a folder that is not there is more likely a typo than a wish).
    /// </summary>
    public static (Database? Database, string Problem) OpenFile(string path, bool mustExist)
    {
        if (mustExist && !File.Exists(path)) return (null, $"no SQLite file at {path}");
        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder)) return (null, $"no folder {folder}; create it first, or correct the path");
        return (new SqliteDatabase(path, 5000), "");
    }

    /// <summary>
    /// A connection of its own to the file, outside the pool, once every pooled connection is closed: for work that
    /// must have the file alone, such as a change of journal mode.
    /// </summary>
    public async Task<DbConnection> OpenAloneAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnection.ClearAllPools();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Microsoft.Data.Sqlite checks the token only between calls, so a long query would otherwise run to its end.
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken, bool stopOnCancel)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            connection.CreateFunction<string?, string?>(SqliteFold.Function, SqliteFold.Fold, isDeterministic: true);
            await connection.ExecuteAsync(new CommandDefinition(_pragmas, cancellationToken: cancellationToken));
            if (stopOnCancel && StopOnCancel(connection, cancellationToken) is { } stop)
            {
                connection.StateChange += (_, change) =>
                {
                    if (change.CurrentState == ConnectionState.Closed) stop.Dispose();
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

    /// <summary>sqlite3_interrupt on <paramref name="connection"/> when the token is cancelled, until the registration is disposed.</summary>
    protected internal override IDisposable? StopOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)state!).Handle), connection)
            : null;

    /// <summary>A deferred transaction: its snapshot is taken at its first read and kept to its end (WAL).</summary>
    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override Task<RawRows> ReadRawAsync(
        DbConnection connection, DbTransaction snapshot, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        Task.FromResult<RawRows>(new SqliteRawRows((SqliteConnection)connection, sql, parameters));

    // A large import touches pages all over the indexes, history and the search index: with SQLite's default 2 MB page
    // cache it spilled dirty pages to the WAL and read them back, row after row. 256 MiB, allocated only as pages are
    // touched; the connection gets the default back before it returns to the pool.
    public override Task BeginBulkWriteAsync(WriteScope write, CancellationToken cancellationToken) =>
        write.Connection.ExecuteAsync(new CommandDefinition("PRAGMA cache_size = -262144", transaction: write.Transaction, cancellationToken: cancellationToken));

    public override Task EndBulkWriteAsync(DbConnection connection) => connection.ExecuteAsync("PRAGMA cache_size = -2000");

    public override Task RefreshStatisticsAsync(DbConnection connection) => connection.ExecuteAsync("PRAGMA analysis_limit = 1000; PRAGMA optimize");

    public override Task<RowWriter> BeginRowsAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        InsertRowWriter.BeginAsync(write, table, columns, cancellationToken);

    /// <summary>
    /// Drops the triggers and, to bring them back after the work, creates them again exactly as the migrations wrote
    /// them (their SQL from sqlite_master). DDL is part of the transaction, so a rollback brings them back too.
    /// </summary>
    public override async Task<TriggersAside> SetInsertTriggersAsideAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var triggers = (await connection.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN @InsertTriggers",
            new { InsertTriggers }, transaction, cancellationToken: cancellationToken))).AsList();
        if (triggers.Count != InsertTriggers.Length) throw new InvalidOperationException("The donations insert triggers are not as the migrations wrote them.");
        foreach (var (name, _) in triggers)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP TRIGGER {name}", transaction: transaction, cancellationToken: cancellationToken));
        }
        return new DroppedTriggers(connection, transaction, triggers);
    }

    /// <summary>The donations insert triggers that a bulk insert sets aside, as the migrations named them.</summary>
    private static readonly string[] InsertTriggers = ["donations_fts_after_insert", "donation_rollup_after_insert", "data_version_after_donation_insert"];

    private sealed class DroppedTriggers(IDbConnection connection, IDbTransaction transaction, IReadOnlyList<(string Name, string Sql)> triggers) : TriggersAside
    {
        public override async Task EndAsync(string work, object? parameters, CancellationToken cancellationToken)
        {
            await connection.ExecuteAsync(new CommandDefinition(work, parameters, transaction, cancellationToken: cancellationToken));
            foreach (var (_, sql) in triggers)
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            }
        }
    }

    /// <summary>BEGIN IMMEDIATE: the file's write lock is taken now, not at the first write.</summary>
    protected override Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));
}
