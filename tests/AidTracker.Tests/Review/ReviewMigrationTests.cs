using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>Migration 0022 on a database of schema 0021: everything that was public stays public, and every key keeps doing what it did.</summary>
public sealed class ReviewMigrationTests
{
    [Fact]
    public async Task Migration_0022_publishes_every_donation_and_version_made_before_and_lets_every_key_made_before_publish()
    {
        await using var database = await EvidenceMigrationTests.OldDatabase.WithOldRowsBeforeAsync(22);
        var connection = database.Connection;
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (name, role, secret_hash, created_at) VALUES ('old-editor', 'editor', @Hash, '2026-01-01T00:00:00.0000000Z')",
            new { Hash = new string('a', 64) });
        const string Counts = "SELECT (SELECT count(*) FROM donations) + (SELECT count(*) FROM donation_history) + (SELECT count(*) FROM api_keys)";
        var before = await connection.ExecuteScalarAsync<long>(Counts);

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        Assert.Equal(before, await connection.ExecuteScalarAsync<long>(Counts));
        Assert.True(before > 1);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM donations WHERE review_state <> 'published') + (SELECT count(*) FROM donation_history WHERE review_state <> 'published')"));
        Assert.Equal(("editor", 1L), await connection.QuerySingleAsync<(string, long)>("SELECT role, publishes FROM api_keys WHERE name = 'old-editor'"));
        await connection.ExecuteAsync("INSERT INTO api_keys (name, role, secret_hash, created_at, publishes) VALUES ('new-reviewer', 'reviewer', @Hash, '2026-01-01T00:00:00.0000000Z', 0)", new { Hash = new string('b', 64) });
        Assert.Empty(await connection.QueryAsync<long>(DeliveredTotalsMigrationTests.StaleJson(database.Dialect)));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(ApiFixture.StaleRollupRows));
    }
}
