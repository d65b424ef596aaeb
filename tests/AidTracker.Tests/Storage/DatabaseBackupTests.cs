using AidTracker.Api.Cli;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests.Storage;

/// <summary><see cref="Database.BackupAsync"/>: SQLite copies and checks; PostgreSQL refuses and names pg_dump.</summary>
public sealed class DatabaseBackupTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Sqlite_backs_up_to_a_sound_file_with_its_live_and_deleted_donations_counted()
    {
        var folder = ApiFixture.NewFolder();
        using var database = new SqliteDatabase(Path.Combine(folder, "source.db"), 5000);
        await DatabaseInitializer.MigrateAsync(database, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await AidTracker.Api.Dataset.BundledData.LoadIfEmptyAsync(database, TimeProvider.System, default);
        await using (var connection = await database.OpenPrimaryAsync())
        {
            await connection.ExecuteAsync("UPDATE donations SET deleted_at = '2024-01-01T00:00:00.000000Z', version = version + 1 WHERE id = 1");
        }
        var target = Path.Combine(folder, "copy.db");

        var backup = await database.BackupAsync(target);

        Assert.True(backup.IsSound, string.Join("; ", backup.IntegrityCheck));
        Assert.Equal(1, backup.DeletedDonations);
        Assert.True(backup.Donations > 0);
        Assert.Equal(new FileInfo(target).Length, backup.Bytes);
    }

    [PostgresFact]
    public async Task Postgres_refuses_a_backup_and_names_pg_dump()
    {
        using var database = new PostgresDatabase(ApiFixture.PostgresServer!, null);
        var target = Path.Combine(ApiFixture.NewFolder(), "copy.db");

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => database.BackupAsync(target));

        Assert.Equal("the database is PostgreSQL; back it up with pg_dump (see docs/operations.md), not this verb.", refused.Message);
        Assert.False(File.Exists(target));
    }

    [PostgresFact]
    public async Task The_backup_verb_on_postgres_exits_2_pointing_to_pg_dump()
    {
        var target = Path.Combine(ApiFixture.NewFolder(), "copy.db");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await BackupCommand.RunAsync(app.Services, [target], output, error);

        Assert.Equal(2, exit);
        Assert.Equal("backup: the database is PostgreSQL; back it up with pg_dump (see docs/operations.md), not this verb.", error.ToString().Trim());
        Assert.Equal("", output.ToString());
    }
}
