using System.Data.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>
/// Migration 0015 on a database made by the schema before it (0014), on the leg's engine: every row kept, each distinct
/// citation one source, delivered rows one delivery each, and history that says what the migration did. <see cref="OldRows"/>
/// are rows of schema 0014, which later migrations' tests start from too.
/// </summary>
public sealed class EvidenceMigrationTests
{
    internal const string OldRows = """
        INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member) VALUES
            ('POL', 'Poland', 'state', 'PL', 1, 1), ('UKR', 'Ukraine', 'state', 'UA', 0, 0), ('LVA', 'Latvia', 'state', 'LV', 1, 1);
        INSERT INTO weapon_systems (id, name, category) VALUES ('nlaw', 'NLAW', 'anti-tank');
        INSERT INTO donations (id, donor, recipient, weapon_system, quantity, quantity_qualifier, status, announced_on, delivered_on,
            value_amount_minor, value_currency, value_eur_cents, value_is_estimate, funding, source, source_url, notes, created_at, updated_at, deleted_at, version) VALUES
            (1, 'POL', 'UKR', 'nlaw', 10, 'exact', 'delivered', '2022-03-01', '2022-03-20', 10000, 'EUR', 10000, 1, 'stockpile', 'Ministry of Defence', 'https://example.org/a', NULL,
                '2022-03-02T00:00:00.0000000Z', '2022-03-02T00:00:00.0000000Z', NULL, 1),
            (2, 'POL', 'UKR', 'nlaw', NULL, 'undisclosed', 'announced', '2022-03-09', NULL, NULL, NULL, NULL, 0, 'unspecified', 'Ministry of Defence', 'https://example.org/a', 'kept',
                '2022-03-10T00:00:00.0000000Z', '2022-03-11T00:00:00.0000000Z', NULL, 2),
            (3, 'LVA', 'UKR', 'nlaw', 5, 'exact', 'committed', '2022-02-01', NULL, NULL, NULL, NULL, 0, 'unspecified', 'Ministry of Defence', NULL, NULL,
                '2022-02-02T00:00:00.0000000Z', '2022-02-02T00:00:00.0000000Z', NULL, 1),
            (4, 'LVA', 'UKR', 'nlaw', 1, 'exact', 'announced', '2022-04-01', NULL, NULL, NULL, NULL, 0, 'unspecified', 'x', 'not a url', NULL,
                '2022-04-02T00:00:00.0000000Z', '2022-04-03T00:00:00.0000000Z', '2022-04-03T00:00:00.0000000Z', 2);
        INSERT INTO donation_history (donation_id, operation, changed_at, changed_by, request_id, donor, recipient, weapon_system, quantity,
            quantity_qualifier, status, announced_on, delivered_on, value_amount_minor, value_currency, value_eur_cents, value_is_estimate,
            funding, source, source_url, notes, created_at, updated_at, deleted_at, version)
        SELECT id, 'create', created_at, 'old-editor', NULL, donor, recipient, weapon_system, quantity, quantity_qualifier, status, announced_on,
            delivered_on, value_amount_minor, value_currency, value_eur_cents, value_is_estimate, funding,
            CASE WHEN id = 2 THEN 'Old report' ELSE source END, CASE WHEN id = 2 THEN NULL ELSE source_url END, notes, created_at, created_at, NULL, 1
        FROM donations;
        INSERT INTO donation_history (donation_id, operation, changed_at, changed_by, request_id, donor, recipient, weapon_system, quantity,
            quantity_qualifier, status, announced_on, delivered_on, value_amount_minor, value_currency, value_eur_cents, value_is_estimate,
            funding, source, source_url, notes, created_at, updated_at, deleted_at, version)
        SELECT id, CASE WHEN deleted_at IS NULL THEN 'update' ELSE 'delete' END, updated_at, 'old-editor', NULL, donor, recipient, weapon_system,
            quantity, quantity_qualifier, status, announced_on, delivered_on, value_amount_minor, value_currency, value_eur_cents, value_is_estimate,
            funding, source, source_url, notes, created_at, updated_at, deleted_at, version
        FROM donations WHERE version = 2;
        """;

    [Fact]
    public async Task Migration_0015_keeps_every_row_makes_one_source_per_citation_one_delivery_per_delivered_row_and_says_so_in_history()
    {
        await using var database = await OldDatabase.CreateAsync();
        var connection = database.Connection;
        await MigrationRunner.ApplyAsync(connection, database.Migrations.Where(m => m.Version < 15).ToList(), TimeProvider.System);
        await connection.ExecuteAsync(OldRows);

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        // Every row kept, each at a new version recorded by the migration.
        Assert.Equal([2L, 3L, 2L, 3L], await connection.QueryAsync<long>("SELECT version FROM donations ORDER BY id"));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donation_history WHERE changed_by = 'migration 0015' AND operation = 'update'"));
        Assert.Equal(10, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donation_history"));
        Assert.Equal("2022-04-03T00:00:00.0000000Z", await connection.ExecuteScalarAsync<string>("SELECT deleted_at FROM donations WHERE id = 4"));

        // One source per distinct (text, address), dated by the earliest announcement citing it; a non-URL kept in its notes.
        var sources = (await connection.QueryAsync<(string Citation, string? Url, string PublishedOn, string? Notes)>(
            "SELECT citation, url, published_on, notes FROM sources ORDER BY id")).ToList();
        Assert.Equal(
            [("Ministry of Defence", "https://example.org/a", "2022-03-01", null), ("Old report", null, "2022-03-09", null),
             ("Ministry of Defence", null, "2022-02-01", null), ("x", null, "2022-04-01", "source_url (before migration 0015): not a url")],
            sources.Select(s => (s.Citation, s.Url, s.PublishedOn, s.Notes)));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM source_history WHERE changed_by = 'migration 0015'"));

        // One evidence per donation, citing its source; one delivery per delivered row.
        Assert.Equal(
            [(1L, "Ministry of Defence", "https://example.org/a"), (2L, "Ministry of Defence", "https://example.org/a"), (3L, "Ministry of Defence", null), (4L, "x", null)],
            (await connection.QueryAsync<(long, string, string?)>(
                "SELECT e.donation_id, s.citation, s.url FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.supports = 'announcement' AND e.quote IS NULL ORDER BY e.donation_id")).ToList());
        Assert.Equal([(1L, "2022-03-20", "day", 10L, "exact")],
            (await connection.QueryAsync<(long, string, string, long, string)>(
                "SELECT donation_id, delivered_on, delivered_on_precision, quantity, quantity_qualifier FROM deliveries")).ToList());

        // Every version written before the migration keeps its values: its notes as they were, and the old columns as
        // legacy columns of history (null in the migration's versions).
        Assert.Equal(
            [(1L, 1L, null, "Ministry of Defence", "https://example.org/a", "2022-03-20", 1L, "stockpile"),
             (2L, 1L, "kept", "Old report", null, null, 0L, "unspecified"),
             (2L, 2L, "kept", "Ministry of Defence", "https://example.org/a", null, 0L, "unspecified"),
             (3L, 1L, null, "Ministry of Defence", null, null, 0L, "unspecified"),
             (4L, 1L, null, "x", "not a url", null, 0L, "unspecified"),
             (4L, 2L, null, "x", "not a url", null, 0L, "unspecified")],
            (await connection.QueryAsync<(long, long, string?, string?, string?, string?, long?, string?)>("""
                SELECT donation_id, version, notes, source, source_url, delivered_on, value_is_estimate, funding FROM donation_history
                WHERE changed_by = 'old-editor' ORDER BY donation_id, version
                """)).ToList());
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM donation_history WHERE changed_by = 'migration 0015'
                AND (source IS NOT NULL OR source_url IS NOT NULL OR delivered_on IS NOT NULL OR value_is_estimate IS NOT NULL OR funding IS NOT NULL)
            """));

        // The values and dates in their new columns; the live donation's funding kept in the notes of its new version.
        var first = await connection.QuerySingleAsync<(string Announced, string Precision, string FirstReported, string? Basis, string? Method, string? Notes)>(
            "SELECT announced_on, announced_on_precision, first_reported_on, value_basis, value_eur_method, notes FROM donations WHERE id = 1");
        Assert.Equal(("2022-03-01", "day", "2022-03-01", "estimate", "reported", "Funding (before migration 0015): stockpile"), first);
        Assert.Equal("kept", await connection.ExecuteScalarAsync<string>("SELECT notes FROM donations WHERE id = 2"));

        // Every version has copies of its children: an earlier version cites the source it cited then.
        Assert.Equal(10, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM evidence_history"));
        Assert.Equal("Old report", await connection.ExecuteScalarAsync<string>(
            "SELECT s.citation FROM evidence_history h JOIN sources s ON s.id = h.source_id WHERE h.donation_id = 2 AND h.donation_version = 1"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM delivery_history WHERE donation_id = 1"));

        // The derived tables match the rows.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(ApiFixture.StaleRollupRows));
    }

    /// <summary>An empty database on the leg's engine, dropped afterwards (PostgreSQL) or left in its temporary folder (SQLite).</summary>
    internal sealed class OldDatabase(DbConnection connection, IReadOnlyList<Migration> migrations, string? postgresName, string connectionString) : IAsyncDisposable
    {
        public DbConnection Connection => connection;

        public SqlDialect Dialect => connection is NpgsqlConnection ? PostgresDialect.Instance : SqliteDialect.Instance;

        public IReadOnlyList<Migration> Migrations => migrations;

        /// <summary>The database as the service opens it, once migrated.</summary>
        public Database Open() => postgresName is null ? new SqliteDatabase(connectionString, 5000) : new PostgresDatabase(connectionString, null);

        /// <summary>
        /// A database at the schema before migration <paramref name="version"/>, holding <see cref="OldRows"/> (written
        /// at schema 0014) as the migrations since have carried them.
        /// </summary>
        public static async Task<OldDatabase> WithOldRowsBeforeAsync(int version)
        {
            var database = await CreateAsync();
            await MigrationRunner.ApplyAsync(database.Connection, database.Migrations.Where(m => m.Version < 15).ToList(), TimeProvider.System);
            await database.Connection.ExecuteAsync(OldRows);
            await MigrationRunner.ApplyAsync(database.Connection, database.Migrations.Where(m => m.Version < version).ToList(), TimeProvider.System);
            return database;
        }

        public static async Task<OldDatabase> CreateAsync()
        {
            if (ApiFixture.PostgresServer is not { } server)
            {
                var file = Path.Combine(ApiFixture.NewFolder(), "before-0015.db");
                var sqlite = new SqliteConnection($"Data Source={file};Pooling=False;Foreign Keys=True");
                await sqlite.OpenAsync();
                return new OldDatabase(sqlite, SqliteDatabase.EmbeddedMigrations, null, file);
            }
            var name = "aidtracker_migration_" + Guid.NewGuid().ToString("N");
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await admin.ExecuteAsync($"CREATE DATABASE {name}");
            }
            var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
            var postgres = new NpgsqlConnection(connectionString);
            await postgres.OpenAsync();
            return new OldDatabase(postgres, PostgresDatabase.EmbeddedMigrations, name, connectionString);
        }

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            if (postgresName is null) return;
            await using var admin = new NpgsqlConnection(ApiFixture.PostgresServer);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {postgresName} WITH (FORCE)");
        }
    }
}
