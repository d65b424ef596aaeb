using System.Data;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Donations;

/// <summary>
/// Many donations inserted in one transaction (imports, the generator). Per row, the search index and rollup triggers
/// cost more than the row (SQLite's FTS5 flushes its pending terms at every statement's savepoint). So the insert
/// triggers (search index, rollup, data version) stand aside, the rows are inserted, then the index and the rollup
/// take the new id range in one statement each and the data version moves once. All of it happens inside the
/// caller's transaction: no other connection ever sees the database without its triggers, and a rollback puts them
/// back too. Which triggers stand aside, and how, is the engine's (<see cref="Database.SetInsertTriggersAsideAsync"/>):
/// SQLite drops them and creates them again exactly as the migrations wrote them; PostgreSQL's skip their work while a
/// setting of the transaction is on.
/// </summary>
public sealed class BulkInsert
{
    private readonly SqlDialect _dialect;
    private readonly TriggersAside _triggers;

    private BulkInsert(SqlDialect dialect, TriggersAside triggers) => (_dialect, _triggers) = (dialect, triggers);

    /// <summary>Sets the insert triggers aside for the rest of the transaction; <see cref="EndAsync"/> does their work and brings them back.</summary>
    public static async Task<BulkInsert> BeginAsync(Database database, IDbConnection connection, IDbTransaction transaction, CancellationToken cancellationToken) =>
        new(database.Dialect, await database.SetInsertTriggersAsideAsync(connection, transaction, cancellationToken));

    /// <summary>Indexes and rolls up the donations <paramref name="first"/> to <paramref name="last"/>, moves the data version, and puts the triggers back.</summary>
    public async Task EndAsync(IDbConnection connection, IDbTransaction transaction, long first, long last, CancellationToken cancellationToken)
    {
        // In storage order and donations first: on a file analysed while it was empty, SQLite chose an index scan in
        // weapon order with a row lookup each, and 1M imported rows took minutes.
        var range = new { First = first, Last = last };
        var donations = $"FROM donations d{_dialect.InStorageOrder} {_dialect.OrderedJoin} weapon_systems w ON w.id = d.weapon_system WHERE d.id BETWEEN @First AND @Last AND d.deleted_at IS NULL";
        await _triggers.EndAsync(
            $"""
            {_dialect.SearchIndexInsert} {donations};

            {DonationRollup.AddFrom($"{donations} AND {ReviewStates.IsPublished}")};

            UPDATE data_version SET version = version + 1;
            """, range, cancellationToken);
    }
}
