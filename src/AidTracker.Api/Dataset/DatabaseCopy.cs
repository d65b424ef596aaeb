using System.Data.Common;
using System.Diagnostics;
using AidTracker.Api.Countries;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Packages;
using AidTracker.Api.Releases;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace AidTracker.Api.Dataset;

/// <summary>
/// Copies one AidTracker database into another, engine to engine (SQLite into PostgreSQL and back): every table the
/// API keeps, ids included, read in one snapshot of the source and written in one transaction of the target, which
/// must be empty. The search index and the rollup are rebuilt on the target from its donations. The check is the
/// canonical CSV export: its SHA-256 on both sides must be equal.
/// </summary>
public static class DatabaseCopy
{
    public sealed record Result(long Donations, long HistoryRows, string SourceSha256, string TargetSha256, TimeSpan Elapsed)
    {
        public bool Matches => SourceSha256 == TargetSha256;
    }

    /// <summary>Tables in the order their references need, with their columns; donations go through <see cref="BulkInsert"/>.</summary>
    private static readonly (string Table, string Columns)[] Tables =
    [
        ("countries", $"code, {CountryRepository.Attributes}"),
        ("weapon_systems", $"id, {WeaponSystemRepository.Attributes}"),
        ("country_history", $"id, code, changed_at, {CountryRepository.Attributes}"),
        ("weapon_system_history", $"id, weapon_system, changed_at, {WeaponSystemRepository.Attributes}"),
        ("imports", "id, created_at, created_by, idempotency_key, file_sha256, row_count, first_donation, last_donation, ignored_columns"),
        ("sources", string.Join(", ", SourceFields.Table.Stored)),
        ("source_history", string.Join(", ", SourceFields.Table.HistoryColumns)),
        ("packages", string.Join(", ", PackageFields.Table.Stored)),
        ("package_history", string.Join(", ", PackageFields.Table.HistoryColumns)),
        ("donations", string.Join(", ", [.. DonationFields.Stored, .. DonationChildren.JsonColumns, DonationJson.Column])),
        ("donation_history", string.Join(", ", ["id", .. DonationFields.HistoryStamp, .. DonationFields.Versioned, .. LegacyDonationColumns.HistoryColumns])),
        ("deliveries", "id, donation_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes"),
        ("evidence", "id, source_id, donation_id, delivery_id, package_id, quote, locator, credibility, supports"),
        ("delivery_history", "id, donation_id, donation_version, delivery_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes"),
        ("evidence_history", "id, donation_id, donation_version, package_id, package_version, evidence_id, source_id, delivery_id, quote, locator, credibility, supports"),
        ("releases", "id, title, notes, as_of, row_count, csv_sha256, created_at, created_by, format"),
        ("api_keys", "id, name, role, secret_hash, created_at, revoked_at, expires_at, last_used_at, publishes"),
        ("idempotency_keys", "key_holder, key, request_sha256, status, location, etag, body, created_at, expires_at"),
        ("settings", "key, value"),
        ("exchange_rates", "currency, day, rate, imported_at, file_sha256"),
        ("extractions", "source_id, text, reading, created_at, created_by, request_id"),
    ];

    /// <summary>Tables whose id the target's engine hands out (PostgreSQL's identities must continue after the copied ids).</summary>
    private static readonly string[] Identities =
    [
        "country_history", "weapon_system_history", "imports", "sources", "source_history", "packages", "package_history",
        "donations", "donation_history", "deliveries", "evidence", "delivery_history", "evidence_history", "api_keys",
    ];

    public static async Task<Result> CopyAsync(Database source, Database target, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await DatabaseInitializer.MigrateAsync(source, clock, NullLogger.Instance, cancellationToken);
        await DatabaseInitializer.MigrateAsync(target, clock, NullLogger.Instance, cancellationToken);

        long donations = 0, history = 0;
        await using (var from = await source.OpenPrimaryAsync(cancellationToken))
        await using (var snapshot = await source.BeginSnapshotAsync(from, cancellationToken))
        await using (var write = await target.BeginWriteAsync(cancellationToken))
        {
            var occupied = await write.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM countries) OR EXISTS (SELECT 1 FROM donations)", transaction: write.Transaction, cancellationToken: cancellationToken));
            if (occupied) throw new InvalidOperationException($"{target.Description} holds data already; copy only into an empty database.");
            // The target's own cursor key gives way to the source's, so that cursors handed out stay valid.
            await write.Connection.ExecuteAsync(new CommandDefinition("DELETE FROM settings", transaction: write.Transaction, cancellationToken: cancellationToken));

            // The bulk insert spans the donations and their evidence: the search index reads the evidence.
            BulkInsert? bulk = null;
            foreach (var (table, columns) in Tables)
            {
                if (table == "donations") bulk = await BulkInsert.BeginAsync(target, write.Connection, write.Transaction, cancellationToken);
                var copied = await CopyTableAsync(from, snapshot, write, target, table, columns, cancellationToken);
                if (table == "evidence" && bulk is not null)
                {
                    // Even for no rows: the end of a bulk insert puts the triggers back.
                    var (first, last) = await write.Connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                        "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM donations", transaction: write.Transaction, cancellationToken: cancellationToken));
                    await bulk.EndAsync(write.Connection, write.Transaction, first, last, cancellationToken);
                }
                if (table == "donations") donations = copied;
                if (table == "donation_history") history = copied;
            }
            foreach (var table in Identities)
            {
                if (target.Dialect.ContinueIdentity(table) is { Length: > 0 } sql)
                {
                    await write.Connection.ExecuteAsync(new CommandDefinition(sql, transaction: write.Transaction, cancellationToken: cancellationToken));
                }
            }
            await write.CommitAsync(cancellationToken);
        }
        await using (var connection = await target.OpenPrimaryAsync(cancellationToken)) await target.RefreshStatisticsAsync(connection);

        var sourceSha256 = (await new TableExport(source, clock).DigestCsvAsync(ExportTables.Donations, DonationFilter.All, cancellationToken)).Sha256;
        var targetSha256 = (await new TableExport(target, clock).DigestCsvAsync(ExportTables.Donations, DonationFilter.All, cancellationToken)).Sha256;
        return new Result(donations, history, sourceSha256, targetSha256, stopwatch.Elapsed);
    }

    private static async Task<long> CopyTableAsync(
        DbConnection from, DbTransaction snapshot, WriteScope write, Database target, string table, string columns, CancellationToken cancellationToken)
    {
        await using var read = from.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = $"SELECT {columns} FROM {table} ORDER BY 1";
        await using var rows = await read.ExecuteReaderAsync(cancellationToken);
        await using var writer = await target.BeginRowsAsync(write, table, columns.Split(", "), cancellationToken);
        var values = new object?[rows.FieldCount];
        long copied = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            rows.GetValues(values!);
            await writer.WriteAsync(values, cancellationToken);
            copied++;
        }
        await writer.CompleteAsync(cancellationToken);
        return copied;
    }
}
