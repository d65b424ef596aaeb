using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Exports;

public enum ColumnType { Integer, Decimal, Text, Date, Timestamp, Boolean }

/// <summary>
/// One exported column: its name (as in the JSON), its type, the SQL that writes its text over the joins of
/// <see cref="DonationRepository"/>, and what the codebook says of it.
/// </summary>
public sealed record ExportColumn(string Name, ColumnType Type, Func<SqlDialect, string> Sql, string Meaning, string? AllowedValues = null, string? Unit = null);

/// <summary>The columns of every export, in order. The codebook is generated from this list, so it cannot drift.</summary>
public static class ExportColumns
{
    public static readonly IReadOnlyList<ExportColumn> All =
    [
        new("id", ColumnType.Integer, _ => "d.id", "The donation's identifier in AidTracker; stable, never reused."),
        new("donor", ColumnType.Text, _ => "d.donor", "Who gives: an ISO 3166-1 alpha-3 country code, or EU or NATO.", "ISO 3166-1 alpha-3, EU, NATO"),
        new("donor_name", ColumnType.Text, _ => "dc.name", "The donor's English short name (ISO 3166-1 via Debian iso-codes)."),
        new("recipient", ColumnType.Text, _ => "d.recipient", "Who receives, coded as the donor.", "ISO 3166-1 alpha-3, EU, NATO"),
        new("recipient_name", ColumnType.Text, _ => "rc.name", "The recipient's English short name."),
        new("weapon_system", ColumnType.Text, _ => "d.weapon_system", "The weapon system's id in the AidTracker catalogue (GET /api/v1/weapon-systems)."),
        new("weapon_system_name", ColumnType.Text, _ => "w.name", "The weapon system's name."),
        new("category", ColumnType.Text, _ => "w.category", "The weapon system's category.", string.Join(", ", WeaponCategories.All)),
        new("quantity", ColumnType.Integer, _ => "d.quantity", "How many, as the source states it; empty when the source does not say.", "> 0", "items"),
        new("quantity_qualifier", ColumnType.Text, _ => "d.quantity_qualifier", "How exact the quantity is; undisclosed exactly when quantity is empty.", string.Join(", ", WireEnum<QuantityQualifier>.Names)),
        new("status", ColumnType.Text, _ => "d.status", "How far the donation has gone: announced, committed (contracted or approved), delivered, or cancelled.", string.Join(", ", WireEnum<DonationStatus>.Names)),
        new("announced_on", ColumnType.Date, _ => "d.announced_on", "When the donation was announced (ISO 8601 date).", "2022-01-01 to today"),
        new("delivered_on", ColumnType.Date, _ => "d.delivered_on", "When it was delivered; only for status delivered, never before announced_on.", "ISO 8601 date"),
        new("value_amount", ColumnType.Decimal, DonationJson.ValueAmountText, "The stated value, in value_currency, with that currency's decimals; empty when not stated.", "> 0", "value_currency"),
        new("value_currency", ColumnType.Text, _ => "d.value_currency", "The currency of value_amount (ISO 4217); empty exactly when value_amount is.", "ISO 4217 code"),
        new("value_eur", ColumnType.Decimal, DonationJson.ValueEurText, "The value in euros, as the source or an editor converted it; empty when unknown.", ">= 0", "EUR"),
        new("value_is_estimate", ColumnType.Boolean, _ => DonationJson.BooleanText("d.value_is_estimate"), "Whether the value is an estimate rather than a stated figure.", "true, false"),
        new("funding", ColumnType.Text, _ => "d.funding", "Where the equipment came from: existing stocks, new procurement, or not stated.", string.Join(", ", WireEnum<Funding>.Names)),
        new("source", ColumnType.Text, _ => "d.source", "The citation this row rests on. Synthetic rows say so here."),
        new("source_url", ColumnType.Text, _ => "d.source_url", "The source's address, when it has one.", "absolute http(s) URL"),
        new("notes", ColumnType.Text, _ => "d.notes", "Free text: typically the source's own sentence."),
        new("created_at", ColumnType.Timestamp, _ => DonationJson.TimestampText("d.created_at"), "When the row was recorded (UTC, ISO 8601)."),
        new("updated_at", ColumnType.Timestamp, _ => DonationJson.TimestampText("d.updated_at"), "When the row last changed (UTC, ISO 8601)."),
        new("version", ColumnType.Integer, _ => "d.version", "How many times the row has been written; its ETag.", ">= 1"),
    ];
}
