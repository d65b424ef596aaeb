using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;

namespace AidTracker.Tests.Storage;

/// <summary>The migrations each engine supplies from its own folder, on one numbering.</summary>
public sealed class EngineMigrationsTests
{
    [Fact]
    public void Sqlite_supplies_its_migrations_numbered_from_1_without_a_gap()
    {
        var versions = SqliteDatabase.EmbeddedMigrations.Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        Assert.Contains(SqliteDatabase.EmbeddedMigrations, m => m.Sql.Contains("USING fts5", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_supplies_its_migrations_from_11_without_a_gap_up_to_the_same_version_as_sqlite()
    {
        var versions = PostgresDatabase.EmbeddedMigrations.Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(11, versions.Count), versions);
        Assert.Equal(SqliteDatabase.EmbeddedMigrations[^1].Version, versions[^1]);
        Assert.DoesNotContain(PostgresDatabase.EmbeddedMigrations, m => m.Sql.Contains("USING fts5", StringComparison.Ordinal));
        Assert.Contains(PostgresDatabase.EmbeddedMigrations, m => m.Sql.Contains("plpgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void A_database_supplies_its_engines_migrations()
    {
        using var sqlite = new SqliteDatabase(Path.Combine(ApiFixture.NewFolder(), "never-opened.db"), 5000);

        Assert.Same(SqliteDatabase.EmbeddedMigrations, sqlite.Migrations);
    }
}
