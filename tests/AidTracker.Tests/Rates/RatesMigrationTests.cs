using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>Migration 0014 adds exchange_rates to a database the previous schema made, keeping its rows.</summary>
public sealed class RatesMigrationTests
{
    private const string Rows = """
        INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member) VALUES ('POL', 'Poland', 'state', 'PL', 1, 1);
        INSERT INTO settings (key, value) VALUES ('before_rates', 'kept');
        """;

    private static async Task AssertMigratedKeepingRowsAsync(System.Data.Common.DbConnection connection, IReadOnlyList<Migration> migrations)
    {
        await MigrationRunner.ApplyAsync(connection, migrations.Where(m => m.Version < 14).ToList(), TimeProvider.System);
        await connection.ExecuteAsync(Rows);

        var applied = await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);

        Assert.Equal(14, applied[0]);
        Assert.Equal("Poland", await connection.ExecuteScalarAsync<string>("SELECT name FROM countries WHERE code = 'POL'"));
        Assert.Equal("kept", await connection.ExecuteScalarAsync<string>("SELECT value FROM settings WHERE key = 'before_rates'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM exchange_rates"));
        await connection.ExecuteAsync("INSERT INTO exchange_rates (currency, day, rate, imported_at, file_sha256) VALUES ('USD', '2022-03-01', '1.1162', 't', @Sha)", new { Sha = new string('0', 64) });
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO exchange_rates (currency, day, rate, imported_at, file_sha256) VALUES ('USD', '2022-03-02', '1.1e2', 't', @Sha)", new { Sha = new string('0', 64) }));
    }

    [Fact]
    public async Task A_SQLite_database_of_schema_13_opens_under_14_keeping_its_rows()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(ApiFixture.NewFolder(), "before-rates.db")};Pooling=False");
        await connection.OpenAsync();

        await AssertMigratedKeepingRowsAsync(connection, SqliteDatabase.EmbeddedMigrations);
    }

    [PostgresFact]
    public async Task A_PostgreSQL_database_of_schema_13_opens_under_14_keeping_its_rows()
    {
        await using var connection = new NpgsqlConnection(await CopyTests.NewPostgresDatabaseAsync());
        await connection.OpenAsync();

        await AssertMigratedKeepingRowsAsync(connection, PostgresDatabase.EmbeddedMigrations);
    }
}
