using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>Migration 0023 on a database of schema 0022: every row stays, and the new extractions table takes a text beside a source.</summary>
public sealed class ExtractionMigrationTests
{
    [Fact]
    public async Task Migration_0023_keeps_every_row_and_keeps_an_extraction_beside_its_source()
    {
        await using var database = await EvidenceMigrationTests.OldDatabase.WithOldRowsBeforeAsync(23);
        var connection = database.Connection;
        const string Counts = """
            SELECT (SELECT count(*) FROM donations) + (SELECT count(*) FROM donation_history) + (SELECT count(*) FROM sources)
                + (SELECT count(*) FROM evidence) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM evidence_history)
            """;
        var before = await connection.ExecuteScalarAsync<long>(Counts);

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        Assert.True(before > 1);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>(Counts));
        var source = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM sources");
        const string Insert = "INSERT INTO extractions (source_id, text, reading, created_at, created_by) VALUES (@Source, @Text, '{}', '2026-01-01T00:00:00.0000000Z', 'editor')";
        // The same existing source, its key still free: only the check on the text can refuse it.
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync(Insert, new { Source = source, Text = "" }));
        await connection.ExecuteAsync(Insert, new { Source = source, Text = "Poland is sending Stingers." });
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM extractions"));
    }
}
