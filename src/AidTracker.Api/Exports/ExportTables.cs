using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Packages;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Exports;

/// <summary>
/// The exported tables, in the data package's order: each is one <see cref="ExportTable"/> declaration, and its routes,
/// codebook and data package resource follow from being listed here. A table's declaration is built from its feature's
/// field list (as <see cref="Donations"/> from <see cref="DonationFields.Wire"/>), so that a field is declared once;
/// its enum, decimal digits and pattern come with the field.
/// </summary>
public static class ExportTables
{
    /// <summary>The donations: <see cref="DonationFields.Wire"/>, as GET /api/v1/donations lists them, in id order.</summary>
    public static readonly ExportTable Donations = new()
    {
        Name = "donations",
        Row = "donation",
        Description = "Every donation the filters select, one row each, in id order: the fields of GET /api/v1/donations (its deliveries summarised in quantity_delivered; the deliveries and evidence resources hold them whole).",
        Columns = [.. DonationFields.Wire.Select(field => new ExportColumn(field.Name, field.Type!.Value, field.Wire, field.Meaning, field.AllowedValues, field.Unit)
        {
            Nullable = field.Nullable, Enum = field.Enum, Decimal = field.Decimal, Pattern = field.Pattern,
        })],
        PrimaryKey = ["id"],
        ForeignKeys = [new(["package"], "packages", ["id"])],
        From = (dialect, donations) => $"FROM donations d {DonationRepository.Joins(dialect)} {donations}",
        OrderBy = "d.id",
        JsonObject = (dialect, past) => DonationJson.Object(dialect, fromChildren: past),
    };

    /// <summary>The selected donations <c>d</c> with their joins, a table of their parts <c>x</c> (its donation_id theirs), and the filter.</summary>
    private static string Selected(SqlDialect dialect, string parts, string donations) =>
        $"donations d {DonationRepository.Joins(dialect)} JOIN {parts} x ON x.donation_id = d.id {donations}";

    /// <summary>A delivery's fields over <c>x</c> (deliveries, or their copies at a donation's version for the past).</summary>
    private static readonly IReadOnlyList<ExportColumn> DeliveryColumns =
    [
        new("id", ColumnType.Integer, _ => "x.id", "The delivery's identifier in AidTracker."),
        new("donation_id", ColumnType.Integer, _ => "x.donation_id", "The donation (donations.id) it delivers part of."),
        new("delivered_on", ColumnType.Text, _ => DonationFields.PartialDateText("x.delivered_on"),
            "When it was delivered: yyyy, yyyy-MM or yyyy-MM-dd, as precisely as known; empty when unknown.", "yyyy, yyyy-MM or yyyy-MM-dd") { Nullable = true, Pattern = PartialDate.Pattern },
        new("quantity", ColumnType.Integer, _ => "x.quantity", "How many were delivered, as the source states it; empty when it does not say.", "> 0", "items") { Nullable = true },
        new("quantity_qualifier", ColumnType.Text, _ => "x.quantity_qualifier", "How exact the quantity is; undisclosed exactly when quantity is empty.",
            string.Join(", ", WireEnum<QuantityQualifier>.Names)) { Enum = WireEnum<QuantityQualifier>.Names },
        new("notes", ColumnType.Text, _ => "x.notes", "Free text.") { Nullable = true },
    ];

    /// <summary>The deliveries of the selected donations, in id order.</summary>
    public static readonly ExportTable Deliveries = Parts("deliveries", "delivery",
        "Every delivery (instalment) of the donations the filters select, in id order.",
        DeliveryColumns, [new(["donation_id"], "donations", ["id"])]);

    /// <summary>A piece of evidence's fields over <c>x</c>.</summary>
    private static readonly IReadOnlyList<ExportColumn> EvidenceColumns =
    [
        new("id", ColumnType.Integer, _ => "x.id", "The evidence's identifier in AidTracker."),
        new("source_id", ColumnType.Integer, _ => "x.source_id", "The source (sources.id) it cites."),
        new("donation_id", ColumnType.Integer, _ => "x.donation_id", "The donation (donations.id) it supports."),
        new("delivery_id", ColumnType.Integer, _ => "x.delivery_id", "The delivery (deliveries.id) it supports; empty when it supports the donation as a whole.") { Nullable = true },
        new("package_id", ColumnType.Integer, _ => "x.package_id", "The package (packages.id) it supports; empty for a donation's evidence.") { Nullable = true },
        new("quote", ColumnType.Text, _ => "x.quote", "The words of the source that support the record; empty when not quoted.") { Nullable = true },
        new("locator", ColumnType.Text, _ => "x.locator", "Where in the source: a page, a paragraph; empty when not given.") { Nullable = true },
        new("credibility", ColumnType.Integer, _ => "x.credibility", "The Admiralty credibility grade, 1 (confirmed) to 6 (cannot be judged); empty when not graded.", "1 to 6") { Nullable = true },
        new("supports", ColumnType.Text, _ => "x.supports", "What the quoted words support: a comma-separated list, in this order, of " + string.Join(", ", WireEnum<EvidenceSupport>.Names) + ".",
            string.Join(", ", WireEnum<EvidenceSupport>.Names)) { Pattern = $"^({string.Join('|', WireEnum<EvidenceSupport>.Names)})(,({string.Join('|', WireEnum<EvidenceSupport>.Names)}))*$" },
    ];

    /// <summary>The evidence of the selected donations (of the donations and their deliveries), in id order.</summary>
    public static readonly ExportTable Evidence = Parts("evidence", "piece of evidence",
        "Every citation of a source that supports a donation the filters select or one of its deliveries, in id order.",
        EvidenceColumns,
        [
            new(["source_id"], "sources", ["id"]),
            new(["donation_id"], "donations", ["id"]),
            new(["delivery_id"], "deliveries", ["id"]),
            new(["package_id"], "packages", ["id"]),
        ]);

    /// <summary>A table of the selected donations' parts (<paramref name="name"/> <c>x</c>, its donation_id theirs), in id order.</summary>
    private static ExportTable Parts(string name, string row, string description, IReadOnlyList<ExportColumn> columns, IReadOnlyList<ExportForeignKey> foreignKeys) => new()
    {
        Name = name,
        Row = row,
        Description = description,
        Columns = columns,
        PrimaryKey = ["id"],
        ForeignKeys = foreignKeys,
        From = (dialect, donations) => $"FROM {Selected(dialect, name, donations)}",
        OrderBy = "x.id",
    };

    /// <summary>The sources that the selected donations' evidence cites (with no filter: every source a live donation cites), in id order.</summary>
    public static readonly ExportTable Sources = Records(SourceFields.Table, "source",
        "Every source that the evidence of the donations the filters select cites, in id order (with no filter, every source a live donation cites; a source nothing cites is not exported).",
        (dialect, donations) => $"WHERE r.id IN (SELECT x.source_id FROM {Selected(dialect, "evidence", donations)})");

    /// <summary>The packages that the selected donations belong to, in id order.</summary>
    public static readonly ExportTable Packages = Records(PackageFields.Table, "package",
        "Every package that a donation the filters select belongs to (donations.package), in id order (with no filter, every package a live donation names).",
        (dialect, donations) => $"WHERE r.id IN (SELECT d.package_id FROM donations d {DonationRepository.Joins(dialect)} {donations})");

    /// <summary>
    /// A table of versioned records (<see cref="RecordTable.Wire"/>) over <c>r</c>, selected by <paramref name="where"/>;
    /// for the past, its rows as they stood (<see cref="AsOf.With"/>: the last version in its history at or before the moment).
    /// </summary>
    private static ExportTable Records(RecordTable records, string row, string description, Func<SqlDialect, string, string> where) => new()
    {
        Name = records.Table,
        Row = row,
        Description = description,
        Columns = [.. records.Wire.Select(field => new ExportColumn(field.Name, field.Pattern is null ? field.Type!.Value : ColumnType.Text, dialect => WireSql(dialect, field), field.Meaning, field.AllowedValues)
        {
            Nullable = field.Nullable, Enum = field.Enum, Decimal = field.Decimal, Pattern = field.Pattern,
        })],
        PrimaryKey = ["id"],
        From = (dialect, donations) => $"FROM {records.Table} r {where(dialect, donations)}",
        OrderBy = "r.id",
    };

    /// <summary>A record field's wire text over <c>r</c>: a partial date cut to its precision, a timestamp with a Z, an amount in its currency's decimals.</summary>
    private static string WireSql(SqlDialect dialect, RecordField field) => field switch
    {
        { Pattern: not null } => DonationFields.PartialDateText(field.Sql),
        { Type: ColumnType.Timestamp } => DonationJson.TimestampText(field.Sql),
        // The donation's amount and currency are d.value_amount_minor and d.value_currency; a record's are r's.
        { Type: ColumnType.Decimal } => DonationJson.ValueAmountText(dialect).Replace("d.value_", "r.value_", StringComparison.Ordinal),
        _ => field.Sql,
    };

    /// <summary>Every exported table. Adding a table is adding its declaration here.</summary>
    public static readonly IReadOnlyList<ExportTable> All = [Donations, Deliveries, Evidence, Sources, Packages];
}
