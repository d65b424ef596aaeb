using System.Data;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Donations;

/// <summary>
/// Many donations inserted in one transaction (imports, the generator). Per row, the search index and rollup triggers
/// cost more than the row (SQLite's FTS5 flushes its pending terms at every statement's savepoint). So the insert
/// triggers (search index, rollup, data version) stand aside, the rows are inserted, then the index and the rollup
/// take the new id range in one statement each and the data version moves once. All of it happens inside the
/// caller's transaction: no other connection ever sees the database without its triggers, and a rollback puts them
/// back too. SQLite drops the triggers and creates them again exactly as the migrations wrote them; PostgreSQL's
/// triggers skip their work while the transaction's setting <c>aidtracker.bulk_insert</c> is on (dropping them there
/// would lock the table against readers until the commit).
/// </summary>
public sealed class BulkInsert
{
    private readonly SqlDialect _dialect;
    private readonly IReadOnlyList<(string Name, string Sql)> _triggers;

    private BulkInsert(SqlDialect dialect, IReadOnlyList<(string Name, string Sql)> triggers) => (_dialect, _triggers) = (dialect, triggers);

    private static readonly string[] LiftedTriggers = ["donations_fts_after_insert", "donation_rollup_after_insert", "data_version_after_donation_insert"];

    /// <summary>Sets the insert triggers aside for the rest of the transaction; <see cref="EndAsync"/> does their work and brings them back.</summary>
    public static async Task<BulkInsert> BeginAsync(SqlDialect dialect, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken)
    {
        if (dialect == SqlDialect.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL aidtracker.bulk_insert = 'on'", transaction: transaction, cancellationToken: cancellationToken));
            return new BulkInsert(dialect, []);
        }
        var triggers = (await connection.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN @LiftedTriggers",
            new { LiftedTriggers }, transaction, cancellationToken: cancellationToken))).AsList();
        if (triggers.Count != LiftedTriggers.Length) throw new InvalidOperationException("The donations insert triggers are not as the migrations wrote them.");
        foreach (var (name, _) in triggers)
        {
            await connection.ExecuteAsync(new CommandDefinition($"DROP TRIGGER {name}", transaction: transaction, cancellationToken: cancellationToken));
        }
        return new BulkInsert(dialect, triggers);
    }

    /// <summary>Indexes and rolls up the donations <paramref name="first"/> to <paramref name="last"/>, moves the data version, and puts the triggers back.</summary>
    public async Task EndAsync(IDbConnection connection, IDbTransaction transaction, long first, long last, CancellationToken cancellationToken)
    {
        // In storage order and donations first: on a file analysed while it was empty, SQLite chose an index scan in
        // weapon order with a row lookup each, and 1M imported rows took minutes.
        var range = new { First = first, Last = last };
        var donations = $"FROM donations d{_dialect.InStorageOrder} {_dialect.OrderedJoin} weapon_systems w ON w.id = d.weapon_system WHERE d.id BETWEEN @First AND @Last AND d.deleted_at IS NULL";
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            {(_dialect == SqlDialect.Postgres ? "SET LOCAL aidtracker.bulk_insert = 'off';" : "")}
            {_dialect.SearchIndexInsert} {donations};

            {DonationRollup.AddFrom(donations)};

            UPDATE data_version SET version = version + 1;
            """, range, transaction, cancellationToken: cancellationToken));
        foreach (var (_, sql) in _triggers)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
        }
    }
}
