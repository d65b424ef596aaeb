using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>What only SQLite has, against a real file in both legs: its settings, its version, WAL growth.</summary>
public sealed class StorageTests(SqliteFixture app) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Connections_run_with_wal_busy_timeout_foreign_keys_and_full_sync()
    {
        await using var connection = await app.Connections.OpenAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(5000, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous"));
    }

    [Fact]
    public async Task The_bundled_sqlite_is_at_least_3_51_3()
    {
        await using var connection = await app.Connections.OpenAsync();
        var version = await connection.ExecuteScalarAsync<string>("SELECT sqlite_version()");

        Assert.True(Version.Parse(version!) >= SqliteDatabase.MinimumSqliteVersion, version);
    }

    [Theory]
    [InlineData("3.49.1")]
    [InlineData("3.51.2")]
    [InlineData("garbage")]
    public void Start_up_refuses_sqlite_older_than_3_51_3(string version)
    {
        Assert.Throws<InvalidOperationException>(() => SqliteDatabase.EnsureSupported(version));
    }

    [Theory]
    [InlineData("3.51.3")]
    [InlineData("3.53.4")]
    public void Start_up_accepts_sqlite_3_51_3_and_later(string version)
    {
        SqliteDatabase.EnsureSupported(version);
    }

    [Fact]
    public async Task Ten_thousand_inserts_between_list_reads_leave_the_wal_under_8_mb()
    {
        var donations = app.Services.GetRequiredService<DonationRepository>();
        var write = DonationWrite.From(Donations.Request(quote: new string('s', 200), notes: new string('n', 200)));
        var change = new ChangeContext("wal-test", null, TimeProvider.System);

        for (var i = 0; i < 10_000; i++)
        {
            await donations.CreateAsync(write, change, default);
            // Pages that stop before the last row: a kept-open reader must not keep its read open and pin the WAL.
            if (i % 100 == 0) (await app.Anonymous().GetAsync("/api/v1/donations?limit=5")).EnsureSuccessStatusCode();
        }

        var wal = new FileInfo(app.DatabasePath + "-wal");
        Assert.True(wal.Exists);
        Assert.True(wal.Length < 8 * 1024 * 1024, $"WAL is {wal.Length:N0} bytes");
        await using var connection = await app.Connections.OpenAsync();
        Assert.Equal(10_000, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donation_history WHERE changed_by = 'wal-test'"));
    }
}

/// <summary>The schema's own guards, on either engine: append-only history, no physical deletes, constraints.</summary>
public sealed class SchemaTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task History_rows_can_be_neither_changed_nor_deleted_and_donations_are_never_physically_deleted()
    {
        await using var connection = await app.Connections.OpenAsync();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE donation_history SET changed_by = 'mallory'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM donation_history"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM donations WHERE id = 1"));
    }

    [Fact]
    public async Task Schema_constraints_reject_rows_that_break_the_data_model()
    {
        await using var connection = await app.Connections.OpenAsync();
        const string insert = """
            INSERT INTO donations (donor, recipient, weapon_system, quantity, quantity_qualifier, status, announced_on,
                value_is_estimate, funding, source, created_at, updated_at, version)
            VALUES (@Donor, 'UKR', 'nlaw', @Quantity, @Qualifier, 'announced', '2022-03-06', 0, 'unspecified', 's', 'now', 'now', 1)
            """;

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(insert, new { Donor = "UKR", Quantity = 1, Qualifier = "exact" }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(insert, new { Donor = "XXX", Quantity = 1, Qualifier = "exact" }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(insert, new { Donor = "POL", Quantity = 1, Qualifier = "undisclosed" }));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(insert, new { Donor = "POL", Quantity = 0, Qualifier = "exact" }));
    }
}

/// <summary>Migrations on databases that already exist: each class makes its own, so that none shares a file.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task A_pending_migration_is_applied_to_an_existing_database_keeping_its_data_and_recorded_once()
    {
        await using var app = new ApiFixture();
        await using (var connection = await app.Connections.OpenAsync())
        {
            var before = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donations");
            var known = app.Connections.Migrations.Select(m => m.Version).ToList();
            var next = known[^1] + 1;
            var migrations = app.Connections.Migrations.Append(MigrationRunner.Parse($"{next:D4}_add_note_table.sql", "CREATE TABLE extra_notes (id BIGINT PRIMARY KEY);")).ToList();

            var applied = await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);
            var again = await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);

            Assert.Equal(new[] { next }, applied);
            Assert.Empty(again);
            Assert.Equal(before, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donations"));
            Assert.Equal(known.Append(next), await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM extra_notes"));
        }
    }

    [Fact]
    public async Task The_rollup_migration_sums_the_donations_a_database_already_holds()
    {
        var path = Path.Combine(ApiFixture.NewFolder(), "before-rollup.db");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var migrations = SqliteDatabase.EmbeddedMigrations;
        await MigrationRunner.ApplyAsync(connection, migrations.Where(m => m.Version < 5).ToList(), TimeProvider.System);
        await connection.ExecuteAsync("""
            INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member) VALUES
                ('POL', 'Poland', 'state', 'PL', 1, 1), ('UKR', 'Ukraine', 'state', 'UA', 0, 0);
            INSERT INTO weapon_systems (id, name, category) VALUES ('nlaw', 'NLAW', 'anti-tank'), ('m777', 'M777', 'artillery');
            INSERT INTO donations (donor, recipient, weapon_system, quantity, quantity_qualifier, status, announced_on,
                value_eur_cents, value_is_estimate, funding, source, created_at, updated_at, deleted_at, version) VALUES
                ('POL', 'UKR', 'nlaw', 10, 'exact', 'announced', '2022-03-01', 100, 0, 'stockpile', 's', 't', 't', NULL, 1),
                ('POL', 'UKR', 'nlaw', NULL, 'undisclosed', 'announced', '2022-03-09', NULL, 0, 'stockpile', 's', 't', 't', NULL, 1),
                ('POL', 'UKR', 'm777', 4, 'exact', 'committed', '2022-05-01', 250, 0, 'stockpile', 's', 't', 't', NULL, 1),
                ('POL', 'UKR', 'm777', 9, 'exact', 'committed', '2022-05-02', 900, 0, 'stockpile', 's', 't', 't', 't', 2);
            """);

        await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);

        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT sum(count) FROM donation_rollup"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(ApiFixture.StaleRollupRows));
    }

    [Fact]
    public async Task The_service_refuses_to_start_on_a_database_newer_than_the_code()
    {
        var folder = ApiFixture.NewFolder();
        await using (var first = new Unkeyed(folder))
        {
            await using var connection = await first.Connections.OpenAsync();
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'x')");
        }

        await using var second = new Unkeyed(folder);
        var error = Assert.ThrowsAny<Exception>(() => second.Services);

        Assert.Contains("newer than this build", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_migration_file_must_be_numbered()
    {
        Assert.Throws<InvalidOperationException>(() => MigrationRunner.Parse("add_things.sql", ""));
        Assert.Equal(12, MigrationRunner.Parse("0012_add_things.sql", "").Version);
    }

    private sealed class Unkeyed(string folder) : ApiFixture(folder)
    {
        public override Task InitializeAsync() => Task.CompletedTask;
    }
}
