using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Dapper;

namespace AidTracker.Api.Releases;

/// <summary>
/// The donations export as it was before migration 0015, frozen: a release made before it (releases.format 1) promised
/// its CSV, NDJSON and Parquet files byte for byte (its csv_sha256), so they are written from these columns, in this
/// order, over the legacy columns that donation_history keeps for the versions written before that migration (source,
/// source_url, delivered_on, value_is_estimate, funding). These declarations are copies of DonationFields and
/// ExportTables as they stood then and must never follow later changes of the donation: a change here breaks every
/// format-1 release's digest. Nothing else reads the legacy columns.
/// </summary>
public static class LegacyDonationColumns
{
    /// <summary>The layout of a release made before migration 0015.</summary>
    public const int Format = 1;

    /// <summary>The layout of a release made now: the donation's current fields (<see cref="ExportTables.Donations"/>).</summary>
    public const int CurrentFormat = 2;

    /// <summary>
    /// The legacy columns of donation_history (migration 0015): the values of the versions written before it, null in
    /// later ones. A copy of the database copies them; a format-1 release reads them beside the current ones.
    /// </summary>
    public static readonly IReadOnlyList<string> HistoryColumns = ["source", "source_url", "delivered_on", "value_is_estimate", "funding"];

    private static readonly string LegacyFromHistory = string.Join(", ", HistoryColumns.Select(column => "h." + column));

    private static ExportColumn Column(string name, ColumnType type, string sql, string meaning, string? allowed = null, string? unit = null) =>
        new(name, type, _ => sql, meaning, allowed, unit);

    private static string Names(params string[] names) => string.Join(", ", names);

    private static readonly string[] Statuses = ["announced", "committed", "delivered", "cancelled"];
    private static readonly string[] Qualifiers = ["exact", "at_least", "approximate", "undisclosed"];
    private static readonly string[] Fundings = ["stockpile", "procurement", "unspecified"];

    /// <summary>The donations table of a format-1 release: the columns of the export before migration 0015.</summary>
    public static readonly ExportTable Donations = ExportTables.Donations with
    {
        Columns =
        [
            Column("id", ColumnType.Integer, "d.id", "The donation's identifier in AidTracker; stable, never reused."),
            Column("donor", ColumnType.Text, "d.donor", "Who gives: an ISO 3166-1 alpha-3 country code, or EU or NATO.", "ISO 3166-1 alpha-3, EU, NATO"),
            Column("donor_name", ColumnType.Text, "dc.name", "The donor's English short name (ISO 3166-1 via Debian iso-codes)."),
            Column("recipient", ColumnType.Text, "d.recipient", "Who receives, coded as the donor.", "ISO 3166-1 alpha-3, EU, NATO"),
            Column("recipient_name", ColumnType.Text, "rc.name", "The recipient's English short name."),
            Column("weapon_system", ColumnType.Text, "d.weapon_system", "The weapon system's id in the AidTracker catalogue (GET /api/v1/weapon-systems)."),
            Column("weapon_system_name", ColumnType.Text, "w.name", "The weapon system's name."),
            Column("category", ColumnType.Text, "w.category", "The weapon system's category.", string.Join(", ", WeaponCategories.All)) with { Enum = WeaponCategories.All },
            Column("quantity", ColumnType.Integer, "d.quantity", "How many, as the source states it; empty when the source does not say.", "> 0", "items") with { Nullable = true },
            Column("quantity_qualifier", ColumnType.Text, "d.quantity_qualifier", "How exact the quantity is; undisclosed exactly when quantity is empty.", Names(Qualifiers)) with { Enum = Qualifiers },
            Column("status", ColumnType.Text, "d.status", "How far the donation has gone: announced, committed (contracted or approved), delivered, or cancelled.", Names(Statuses)) with { Enum = Statuses },
            Column("announced_on", ColumnType.Date, "d.announced_on", "When the donation was announced (ISO 8601 date).", "2022-01-01 to today"),
            Column("delivered_on", ColumnType.Date, "d.delivered_on", "When it was delivered; only for status delivered, never before announced_on.", "ISO 8601 date") with { Nullable = true },
            new("value_amount", ColumnType.Decimal, DonationJson.ValueAmountText, "The stated value, in value_currency, with that currency's decimals; empty when not stated.", "> 0", "value_currency")
                { Nullable = true, Decimal = (22, 4) },
            Column("value_currency", ColumnType.Text, "d.value_currency", "The currency of value_amount (ISO 4217); empty exactly when value_amount is.", "ISO 4217 code") with { Nullable = true },
            new("value_eur", ColumnType.Decimal, DonationJson.ValueEurText, "The value in euros, as the source or an editor converted it; empty when unknown.", ">= 0", "EUR")
                { Nullable = true, Decimal = (20, 2) },
            Column("value_is_estimate", ColumnType.Boolean, DonationJson.BooleanText("d.value_is_estimate"), "Whether the value is an estimate rather than a stated figure.", "true, false"),
            Column("funding", ColumnType.Text, "d.funding", "Where the equipment came from: existing stocks, new procurement, or not stated.", Names(Fundings)) with { Enum = Fundings },
            Column("source", ColumnType.Text, "d.source", "The citation this row rests on. Synthetic rows say so here."),
            Column("source_url", ColumnType.Text, "d.source_url", "The source's address, when it has one.", "absolute http(s) URL") with { Nullable = true },
            Column("notes", ColumnType.Text, "d.notes", "Free text: typically the source's own sentence.") with { Nullable = true },
            Column("created_at", ColumnType.Timestamp, DonationJson.TimestampText("d.created_at"), "When the row was recorded (UTC, ISO 8601)."),
            Column("updated_at", ColumnType.Timestamp, DonationJson.TimestampText("d.updated_at"), "When the row last changed (UTC, ISO 8601)."),
            Column("version", ColumnType.Integer, "d.version", "How many times the row has been written; its ETag.", ">= 1"),
        ],
        JsonObject = null,
        AsOfWith = With,
    };

    /// <summary>
    /// <see cref="AsOf.With"/> with the legacy columns beside the current ones in its donations, so that the release's
    /// filters (over the current columns) and these columns both read the version the release froze.
    /// </summary>
    private static string With(SqlDialect dialect)
    {
        var current = $"SELECT {DonationFields.FromHistory}";
        var with = AsOf.With(dialect);
        var at = with.IndexOf(current, StringComparison.Ordinal);
        if (at < 0 || with.IndexOf(current, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException("AsOf.With must select the donation's history columns once for the legacy release export.");
        }
        return string.Concat(with.AsSpan(0, at + current.Length), ", ", LegacyFromHistory, with.AsSpan(at + current.Length));
    }
}

/// <summary>Which table a release's export writes: the frozen pre-0015 donations for a format-1 release, else the table asked for.</summary>
public sealed class ReleaseLayouts(Database connections) : IReleaseLayouts
{
    public async Task<ExportTable> TableAsync(ExportTable table, DonationFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Release is null || !ReferenceEquals(table, ExportTables.Donations)) return table;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var format = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT format FROM releases WHERE id = @Id", new { Id = filter.Release }, cancellationToken: cancellationToken));
        return format == LegacyDonationColumns.Format ? LegacyDonationColumns.Donations : table;
    }
}
