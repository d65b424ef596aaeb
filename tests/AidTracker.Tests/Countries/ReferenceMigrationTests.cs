using System.Data.Common;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>Migration 0013 on a database made by the schema before it, on the engine of the run.</summary>
public sealed class ReferenceMigrationTests
{
    /// <summary>
    /// An empty database of the run's engine and that engine's migrations: the SQLite file <paramref name="sqlitePath"/>
    /// (a new one by default), or a new PostgreSQL database named <paramref name="postgresName"/>.
    /// </summary>
    internal static async Task<(DbConnection Connection, IReadOnlyList<Migration> Migrations)> EmptyDatabaseAsync(string? sqlitePath = null, string? postgresName = null)
    {
        if (ApiFixture.PostgresServer is null)
        {
            var sqlite = new SqliteConnection($"Data Source={sqlitePath ?? Path.Combine(ApiFixture.NewFolder(), "before.db")};Pooling=False");
            await sqlite.OpenAsync();
            return (sqlite, SqliteDatabase.EmbeddedMigrations);
        }
        var name = postgresName ?? "aidtracker_before_" + Guid.NewGuid().ToString("N");
        var server = new NpgsqlConnectionStringBuilder(ApiFixture.PostgresServer);
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }
        server.Database = name;
        server.Pooling = false;
        var postgres = new NpgsqlConnection(server.ConnectionString);
        await postgres.OpenAsync();
        return (postgres, PostgresDatabase.EmbeddedMigrations);
    }

    [Fact]
    public async Task Existing_countries_and_weapon_systems_keep_their_rows_gain_no_dates_or_aliases_and_are_searchable_by_name()
    {
        var (connection, migrations) = await EmptyDatabaseAsync();
        await using var _ = connection;
        await MigrationRunner.ApplyAsync(connection, migrations.Where(m => m.Version < 13).ToList(), TimeProvider.System);
        await connection.ExecuteAsync("""
            INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member) VALUES
                ('POL', 'Poland', 'state', 'PL', 1, 1), ('ALA', 'Åland Islands', 'state', 'AX', 0, 0);
            INSERT INTO weapon_systems (id, name, category) VALUES ('nlaw', 'NLAW', 'anti-tank'), ('m777', 'M777', 'artillery');
            INSERT INTO country_history (code, changed_at, name, kind, iso2, eu_member, nato_member)
                VALUES ('POL', '0001-01-01T00:00:00.0000000Z', 'Poland', 'state', 'PL', 1, 1);
            """);

        await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);

        var countries = (await connection.QueryAsync<(string Code, string Name, long EuMember, string? EuSince, string? NatoSince, string Aliases)>(
            "SELECT code, name, eu_member, eu_since, nato_since, aliases FROM countries ORDER BY code")).ToList();
        Assert.Equal([("ALA", "Åland Islands", 0L, null, null, "[]"), ("POL", "Poland", 1L, null, null, "[]")], countries);
        Assert.Equal(["[]", "[]"], await connection.QueryAsync<string>("SELECT aliases FROM weapon_systems ORDER BY id"));
        Assert.Equal("[]", await connection.ExecuteScalarAsync<string>("SELECT aliases FROM country_history WHERE code = 'POL'"));
        // Rows that were there are found by name, accents folded, as rows written later are.
        var aland = ApiFixture.PostgresServer is null ? "\"aland\"" : "'aland'";
        Assert.Equal(["ALA"], await connection.QueryAsync<string>($"SELECT code FROM country_search(@Query)", new { Query = aland }));
        var nlaw = ApiFixture.PostgresServer is null ? "\"nlaw\"" : "'nlaw'";
        Assert.Equal(["nlaw"], await connection.QueryAsync<string>("SELECT id FROM weapon_system_search(@Query)", new { Query = nlaw }));
    }

    [Fact]
    public async Task Migration_0016_keeps_every_row_and_reads_each_name_and_alias_alone()
    {
        var (connection, migrations) = await EmptyDatabaseAsync();
        await using var _ = connection;
        await MigrationRunner.ApplyAsync(connection, migrations.Where(m => m.Version < 16).ToList(), TimeProvider.System);
        await connection.ExecuteAsync("""
            INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member, aliases) VALUES
                ('NLD', 'Netherlands', 'state', 'NL', 1, 1, '["Holland","Dutch"]'), ('POL', 'Poland', 'state', 'PL', 1, 1, '["Polish"]');
            INSERT INTO weapon_systems (id, name, category, aliases) VALUES ('nlaw', 'NLAW', 'anti-tank', '["RB 57","Robot 57"]');
            """);

        await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);

        string Query(string words) => ApiFixture.PostgresServer is null ? $"\"{words}\"" : string.Join(" <-> ", words.Split(' ').Select(w => $"'{w}'"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM countries"));
        Assert.Equal(["NLD"], await connection.QueryAsync<string>("SELECT DISTINCT code FROM country_search(@Query)", new { Query = Query("holland") }));
        Assert.Empty(await connection.QueryAsync<string>("SELECT code FROM country_search(@Query)", new { Query = Query("holland dutch") }));
        Assert.Empty(await connection.QueryAsync<string>("SELECT code FROM country_search(@Query)", new { Query = Query("poland polish") }));
        Assert.Equal(["nlaw"], await connection.QueryAsync<string>("SELECT DISTINCT id FROM weapon_system_search(@Query)", new { Query = Query("robot 57") }));
        Assert.Empty(await connection.QueryAsync<string>("SELECT id FROM weapon_system_search(@Query)", new { Query = Query("57 robot") }));
    }
}
