using System.Data;
using Dapper;

namespace AidTracker.Api.Donations;

/// <summary>
/// Many donations inserted in one transaction (imports, the generator). Per row, the search index and rollup triggers
/// cost more than the row: FTS5 flushes its pending terms at every statement's savepoint. So the insert triggers
/// (search index, rollup, data version) are lifted, the rows inserted, then the index and the rollup take the new id
/// range in one statement each, the data version moves once, and the triggers are put back exactly as the migrations
/// wrote them. All of it happens inside the caller's transaction:
/// no other connection ever sees the database without its triggers, and a rollback puts them back too.
/// </summary>
public sealed class BulkInsert
{
    private readonly IReadOnlyList<(string Name, string Sql)> _triggers;

    private BulkInsert(IReadOnlyList<(string Name, string Sql)> triggers) => _triggers = triggers;

    private static readonly string[] LiftedTriggers = ["donations_fts_after_insert", "donation_rollup_after_insert", "data_version_after_donation_insert"];

    public static async Task<BulkInsert> BeginAsync(IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        var triggers = (await connection.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN @LiftedTriggers",
            new { LiftedTriggers }, transaction, cancellationToken: cancellationToken))).AsList();
        if (triggers.Count != LiftedTriggers.Length) throw new InvalidOperationException("The donations insert triggers are not as the migrations wrote them.");
        foreach (var (name, _) in triggers)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP TRIGGER {name}", transaction: transaction, cancellationToken: cancellationToken));
        }
        return new BulkInsert(triggers);
    }

    /// <summary>Indexes and sums the donations with ids <paramref name="first"/> to <paramref name="last"/>, then restores the triggers.</summary>
    public async Task EndAsync(IDbConnection connection, IDbTransaction transaction, long first, long last, CancellationToken cancellationToken)
    {
        // NOT INDEXED and CROSS JOIN keep the donations in rowid order, outermost: on a file analysed while it was
        // empty, SQLite chose an index scan in weapon order with a row lookup each, and 1M imported rows took minutes.
        var range = new { First = first, Last = last };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO donations_fts (rowid, weapon_name, source, notes)
            SELECT d.id, w.name, d.source, d.notes FROM donations d NOT INDEXED CROSS JOIN weapon_systems w ON w.id = d.weapon_system
            WHERE d.id BETWEEN @First AND @Last AND d.deleted_at IS NULL;

            INSERT INTO donation_rollup
            SELECT d.donor, d.recipient, w.category, d.status, substr(d.announced_on, 1, 7),
                count(*), coalesce(sum(d.quantity), 0), count(*) - count(d.quantity), coalesce(sum(d.value_eur_cents), 0)
            FROM donations d NOT INDEXED CROSS JOIN weapon_systems w ON w.id = d.weapon_system
            WHERE d.id BETWEEN @First AND @Last AND d.deleted_at IS NULL
            GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT DO UPDATE SET
                count = count + excluded.count, quantity = quantity + excluded.quantity,
                quantity_undisclosed = quantity_undisclosed + excluded.quantity_undisclosed,
                value_eur_cents = value_eur_cents + excluded.value_eur_cents;

            UPDATE data_version SET version = version + 1;
            """, range, transaction, cancellationToken: cancellationToken));
        foreach (var (_, sql) in _triggers)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
        }
    }
}
