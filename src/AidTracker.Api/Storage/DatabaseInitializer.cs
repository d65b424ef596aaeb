using System.Data.Common;
using AidTracker.Api.Dataset;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Storage;

/// <summary>
/// Prepares the database before the server accepts requests: checks the engine (the SQLite library's version, WAL),
/// applies migrations, and loads the bundled data into an empty database.
/// </summary>
public sealed class DatabaseInitializer(
    Database connections,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    /// <summary>3.51.3 fixes WAL-reset corruption; older bundles (3.49.1 in Microsoft.Data.Sqlite 10.0.x) also carry a published CVE.</summary>
    public static readonly Version MinimumSqliteVersion = new(3, 51, 3);

    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await MigrateAsync(connections, clock, logger, cancellationToken);
        if (options.Value.Seed && await BundledData.LoadIfEmptyAsync(connections, clock, cancellationToken) is { } loaded)
        {
            logger.LogInformation(
                "Loaded bundled data: {Countries} countries, {WeaponSystems} weapon systems, {Donations} donations",
                loaded.Countries, loaded.WeaponSystems, loaded.Donations);
        }
    }

    /// <summary>Checks the engine and brings the schema to this build's version.</summary>
    public static async Task MigrateAsync(Database database, TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (database is SqliteDatabase { DatabasePath: var path } && Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var applied = database switch
        {
            SqliteDatabase sqlite => await PrepareSqliteAsync(sqlite, connection, clock, logger, cancellationToken),
            _ => await PreparePostgresAsync(database, connection, clock, logger, cancellationToken),
        };
        if (applied.Count > 0) logger.LogInformation("Applied schema migrations {Versions}", applied);
    }

    private static async Task<IReadOnlyList<int>> PrepareSqliteAsync(
        SqliteDatabase sqlite, DbConnection connection, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken));
        logger.LogInformation("SQLite {SqliteVersion}, database {DatabasePath}", version, sqlite.DatabasePath);
        EnsureSupported(version);
        if (!SqliteDatabase.ProcessTuned)
        {
            logger.LogWarning("SQLite was initialised before its process settings (no memory statistics, multi-thread mode) could be made; reads will be slower.");
        }
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
        return await MigrationRunner.ApplyAsync(connection, MigrationRunner.Embedded(SqlDialect.Sqlite), clock, cancellationToken);
    }

    /// <summary>Instances that start together take turns: the first applies the migrations, the others find them applied.</summary>
    private static async Task<IReadOnlyList<int>> PreparePostgresAsync(
        Database database, DbConnection connection, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: cancellationToken));
        logger.LogInformation("PostgreSQL {PostgresVersion}, {Database}", version, database.Description);
        await PostgresDatabase.LockMigrationsAsync(connection, cancellationToken);
        try
        {
            return await MigrationRunner.ApplyAsync(connection, MigrationRunner.Embedded(SqlDialect.Postgres), clock, cancellationToken);
        }
        finally
        {
            await PostgresDatabase.UnlockMigrationsAsync(connection);
        }
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
}
