using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>
/// Migrations 0017 to 0019 on a database made by the schema before them (0016), on the leg's engine: every donation
/// and every history version keeps the totals of the deliveries it had, no row is lost, the rollup rebuilt with
/// every measure holds the donations' delivered totals, and every donation keeps the JSON of its children.
/// </summary>
public sealed class DeliveredTotalsMigrationTests
{
    /// <summary>Instalments of donation 3 at schema 0016, one of each qualifier, in its current version and in history.</summary>
    private const string Instalments = """
        INSERT INTO deliveries (donation_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier) VALUES
            (3, '2022-05-01', 'month', '2022-05-31', 2, 'exact'),
            (3, NULL, NULL, NULL, 1, 'at_least'),
            (3, NULL, NULL, NULL, 4, 'approximate'),
            (3, NULL, NULL, NULL, NULL, 'undisclosed');
        INSERT INTO delivery_history (donation_id, donation_version, delivery_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes)
        SELECT x.donation_id, d.version, x.id, x.delivered_on, x.delivered_on_precision, x.delivered_on_end, x.quantity, x.quantity_qualifier, x.notes
        FROM deliveries x JOIN donations d ON d.id = x.donation_id WHERE x.donation_id = 3;
        """;

    /// <summary>The totals as they should stand, from the deliveries (or a version's copies): donation or version, then the four kept columns.</summary>
    internal static string Expected(string deliveries, string owner) => $"""
        SELECT d.id, (SELECT sum(x.quantity) FROM {deliveries} x WHERE {owner} AND x.quantity_qualifier IN ('exact', 'at_least')),
            (SELECT count(*) FROM {deliveries} x WHERE {owner} AND x.quantity_qualifier = 'at_least'),
            (SELECT count(*) FROM {deliveries} x WHERE {owner} AND x.quantity_qualifier = 'approximate'),
            (SELECT count(*) FROM {deliveries} x WHERE {owner} AND x.quantity_qualifier = 'undisclosed')
        """;

    /// <summary>Donations and history versions whose kept totals differ from their deliveries (or the copies the version kept).</summary>
    internal static readonly string StaleTotals = $"""
        SELECT id, quantity_delivered, deliveries_at_least, deliveries_approximate, deliveries_undisclosed FROM donations d
        EXCEPT {Expected("deliveries", "x.donation_id = d.id")} FROM donations d
        UNION ALL
        SELECT * FROM (SELECT id, quantity_delivered, deliveries_at_least, deliveries_approximate, deliveries_undisclosed FROM donation_history d
        EXCEPT {Expected("delivery_history", "x.donation_id = d.donation_id AND x.donation_version = d.version")} FROM donation_history d) h
        """;

    /// <summary>
    /// Donations (tombstoned too) whose kept JSON, their children's arrays or their whole object, differs from the JSON
    /// built from their columns, children, the sources they cite and the names of their countries and weapon system.
    /// </summary>
    internal static string StaleJson(SqlDialect dialect)
    {
        var (deliveries, evidence) = DonationChildren.JsonArrays(dialect, fromChildren: true);
        return $"""
            SELECT d.id FROM donations d {DonationRepository.Joins(dialect)}
            WHERE d.deliveries_json <> {deliveries} OR d.evidence_json <> {evidence} OR d.{DonationJson.Column} <> {DonationJson.Object(dialect, fromChildren: true)}
            """;
    }

    [Fact]
    public async Task Migrations_0017_to_0021_keep_every_row_and_give_each_donation_each_version_and_the_rollup_the_totals_and_json_of_the_children()
    {
        await using var database = await EvidenceMigrationTests.OldDatabase.WithOldRowsBeforeAsync(17);
        var connection = database.Connection;
        await connection.ExecuteAsync(Instalments);
        var before = await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM donations) + (SELECT count(*) FROM donation_history) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM delivery_history)");

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        Assert.Equal(before, await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM donations) + (SELECT count(*) FROM donation_history) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM delivery_history)"));
        // Donation 1 was delivered (10, exact) before 0015; donation 3 has one instalment of each qualifier.
        Assert.Equal(
            [(1L, 10L, 0L, 0L, 0L), (2L, null, 0L, 0L, 0L), (3L, 3L, 1L, 1L, 1L), (4L, null, 0L, 0L, 0L)],
            (await connection.QueryAsync<(long, long?, long, long, long)>(
                "SELECT id, quantity_delivered, deliveries_at_least, deliveries_approximate, deliveries_undisclosed FROM donations ORDER BY id")).ToList());
        // Every version too keeps the totals of the copies it kept: donation 1's versions before 0015 and since, donation 3's last.
        Assert.Empty(await connection.QueryAsync(StaleTotals));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donation_history WHERE quantity_delivered IS NOT NULL"));
        // The rollup (0018) carries the delivered measures of donation 3's instalments, and equals the donations grouped again.
        Assert.Equal((13L, 1L, 1L, 1L), await connection.QuerySingleAsync<(long, long, long, long)>("""
            SELECT sum(quantity_delivered), sum(quantity_delivered_includes_at_least), sum(quantity_delivered_approximate_count),
                sum(quantity_delivered_undisclosed)
            FROM donation_rollup
            """));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(ApiFixture.StaleRollupRows));
        // Every donation keeps the JSON of its children (0019), as the code builds it.
        Assert.Empty(await connection.QueryAsync<long>(StaleJson(database.Dialect)));
        Assert.Equal((2L, 4L), await connection.QuerySingleAsync<(long, long)>(
            "SELECT sum(CASE WHEN deliveries_json LIKE '[{%' THEN 1 ELSE 0 END), sum(CASE WHEN evidence_json LIKE '[{%' THEN 1 ELSE 0 END) FROM donations"));
        Assert.Equal(4L, await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM donations WHERE {DonationJson.Column} LIKE '{{\"id\":%'"));
        // History is append-only again.
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("UPDATE donation_history SET notes = 'changed'"));
    }
}
