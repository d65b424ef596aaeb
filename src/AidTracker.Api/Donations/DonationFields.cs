using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

/// <summary>How a donation's field is kept.</summary>
public enum FieldStorage
{
    /// <summary>The row's id: the key of donations, donation_id in its history.</summary>
    Key,

    /// <summary>Written from a <see cref="DonationWrite"/> by create, update, import and the generator.</summary>
    Written,

    /// <summary>Stamped by the write itself (times, version), never taken from a request.</summary>
    Stamped,

    /// <summary>Read from a joined table (the weapon system <c>w</c>, the countries <c>dc</c> and <c>rc</c>); not stored on the donation.</summary>
    Joined,

    /// <summary>
    /// Kept on the row from its children by every write (<see cref="DonationChildren.RefreshDelivered"/>) and versioned
    /// with it, so that SQL reads it without the children (stats, lists, exports); a row read in C# computes it from its
    /// children, never from the column.
    /// </summary>
    Kept,
}

/// <summary>
/// One field of a donation, declared once: its wire name (JSON, CSV header, Parquet, codebook, import column), how it
/// is kept, its value in SQL over the joins of every read (<c>d</c>, <c>w</c>, <c>dc</c>, <c>rc</c>), the SQL of its wire
/// text where that is not the stored value, its export type and codebook text, whether it can be null, and whether
/// (and where in the list) <c>GET /donations</c> sorts by it. <see cref="DonationFields"/> derives the SQL column lists,
/// the JSON object, the export's columns and the import's columns from these.
/// </summary>
public sealed record DonationField
{
    public required string Name { get; init; }

    public required FieldStorage Storage { get; init; }

    /// <summary>The stored value over the joins, as Dapper reads it: <c>d.value_eur_cents</c>, <c>dc.name</c>.</summary>
    public required string Sql { get; init; }

    /// <summary>
    /// The column on donations and donation_history, which <see cref="Sql"/> reads as <c>d.column</c>; null for a joined
    /// field. A stored field read any other way is a declaration error, refused here.
    /// </summary>
    public string? Column => Storage is FieldStorage.Joined ? null
        : Sql is ['d', '.', .. var column] && column.All(c => char.IsAsciiLetterLower(c) || c == '_') ? column
        : throw new InvalidOperationException($"The stored field {Name} must be read as d.<column>, not {Sql}.");

    /// <summary>The SQL of the wire text (JSON, exports) where it is not <see cref="Sql"/>: money, booleans, timestamps.</summary>
    public Func<SqlDialect, string>? WireSql { get; init; }

    /// <summary>The type in exports and the codebook; null for a field that is not on the wire (deleted_at).</summary>
    public ColumnType? Type { get; init; }

    public string Meaning { get; init; } = "";

    public string? AllowedValues { get; init; }

    public string? Unit { get; init; }

    /// <summary>The only values it takes (their wire names), when it is an enumeration: the exports' enum constraint.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A decimal's digits in all and after the point: Parquet's DECIMAL(precision, scale) in the exports.</summary>
    public (int Precision, int Scale)? Decimal { get; init; }

    /// <summary>A regular expression every wire value matches: <see cref="PartialDate.Pattern"/> for a partial date.</summary>
    public string? Pattern { get; init; }

    public bool Nullable { get; init; }

    /// <summary>An import must carry the column (written fields only).</summary>
    public bool Required { get; init; }

    /// <summary>Where the field stands among the sort keys of <c>GET /donations</c> (problems list them in this order); null when it does not sort.</summary>
    public int? SortPosition { get; init; }

    /// <summary>A written field's value in a <see cref="DonationWrite"/>, in storage form.</summary>
    public Func<DonationWrite, object?>? Value { get; init; }

    /// <summary>A stamped field's SQL on insert (<c>@At</c>, <c>1</c>); null leaves it NULL.</summary>
    public string? OnInsert { get; init; }

    /// <summary>A stamped field's SQL on update (<c>@At</c>, <c>version + 1</c>); null leaves it as it is.</summary>
    public string? OnUpdate { get; init; }

    /// <summary>Stored as an integer (ids, counts, minor units, 0/1 flags) rather than text.</summary>
    public bool StoredAsInteger => Type is ColumnType.Integer or ColumnType.Decimal or ColumnType.Boolean;

    /// <summary>The wire text in SQL: what JSON and the exports write.</summary>
    public string Wire(SqlDialect dialect) => WireSql?.Invoke(dialect) ?? Sql;

    /// <summary>The wire text is JSON already (a decimal or a boolean written as text), not a value to encode.</summary>
    public bool WireIsJson => Type is ColumnType.Decimal or ColumnType.Boolean;

    /// <summary>The Dapper parameter of a written field: the <see cref="DonationWrite"/> property, such as <c>ValueAmountMinor</c>.</summary>
    public string Parameter => string.Concat(Column!.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}

/// <summary>
/// The donation's fields, in wire order, and everything derived from them: adding a field is one declaration here
/// plus a migration (and the row and wire records' properties). The lists and SQL texts are built once, at start-up.
/// </summary>
public static class DonationFields
{
    public static readonly IReadOnlyList<DonationField> All =
    [
        new() { Name = "id", Storage = FieldStorage.Key, Sql = "d.id", Type = ColumnType.Integer, SortPosition = 0,
            Meaning = "The donation's identifier in AidTracker; stable, never reused." },
        new() { Name = "donor", Storage = FieldStorage.Written, Sql = "d.donor", Type = ColumnType.Text, Required = true, SortPosition = 3, Value = w => w.Donor,
            Meaning = "Who gives: an ISO 3166-1 alpha-3 country code, or EU or NATO.", AllowedValues = "ISO 3166-1 alpha-3, EU, NATO" },
        new() { Name = "donor_name", Storage = FieldStorage.Joined, Sql = "dc.name", Type = ColumnType.Text,
            Meaning = "The donor's English short name (ISO 3166-1 via Debian iso-codes)." },
        new() { Name = "recipient", Storage = FieldStorage.Written, Sql = "d.recipient", Type = ColumnType.Text, Required = true, SortPosition = 4, Value = w => w.Recipient,
            Meaning = "Who receives, coded as the donor.", AllowedValues = "ISO 3166-1 alpha-3, EU, NATO" },
        new() { Name = "recipient_name", Storage = FieldStorage.Joined, Sql = "rc.name", Type = ColumnType.Text,
            Meaning = "The recipient's English short name." },
        new() { Name = "funder", Storage = FieldStorage.Written, Sql = "d.funder", Type = ColumnType.Text, Nullable = true, Value = w => w.Funder,
            Meaning = "The country that pays, where another sends (ring exchanges, co-funding); empty when the donor pays or the source does not say.", AllowedValues = "ISO 3166-1 alpha-3, EU, NATO" },
        new() { Name = "weapon_system", Storage = FieldStorage.Written, Sql = "d.weapon_system", Type = ColumnType.Text, Required = true, SortPosition = 5, Value = w => w.WeaponSystem,
            Meaning = "The weapon system's id in the AidTracker catalogue (GET /api/v1/weapon-systems)." },
        new() { Name = "weapon_system_name", Storage = FieldStorage.Joined, Sql = "w.name", Type = ColumnType.Text,
            Meaning = "The weapon system's name." },
        new() { Name = "category", Storage = FieldStorage.Joined, Sql = "w.category", Type = ColumnType.Text, SortPosition = 6,
            Meaning = "The weapon system's category.", AllowedValues = string.Join(", ", WeaponCategories.All), Enum = WeaponCategories.All },
        new() { Name = "package", Storage = FieldStorage.Written, Sql = "d.package_id", Type = ColumnType.Integer, Nullable = true, Value = w => w.PackageId,
            Meaning = "The package (GET /api/v1/packages/{id}) this line item belongs to; empty when none." },
        new() { Name = "quantity", Storage = FieldStorage.Written, Sql = "d.quantity", Type = ColumnType.Integer, Nullable = true, SortPosition = 8, Value = w => w.Quantity,
            Meaning = "How many were promised, as the source states it; empty when the source does not say.", AllowedValues = "> 0", Unit = "items" },
        new() { Name = "quantity_qualifier", Storage = FieldStorage.Written, Sql = "d.quantity_qualifier", Type = ColumnType.Text, Value = w => w.QuantityQualifier,
            Meaning = "How exact the quantity is; undisclosed exactly when quantity is empty.", AllowedValues = string.Join(", ", WireEnum<QuantityQualifier>.Names), Enum = WireEnum<QuantityQualifier>.Names },
        new() { Name = "quantity_delivered", Storage = FieldStorage.Kept, Sql = "d.quantity_delivered", Type = ColumnType.Integer, Nullable = true,
            Meaning = "The sum of the exact and at-least quantities of its deliveries; empty when none is known.", AllowedValues = "> 0", Unit = "items" },
        // How many of its deliveries are at least, approximate or undisclosed: what stats say beside quantity_delivered.
        new() { Name = "deliveries_at_least", Storage = FieldStorage.Kept, Sql = "d.deliveries_at_least" },
        new() { Name = "deliveries_approximate", Storage = FieldStorage.Kept, Sql = "d.deliveries_approximate" },
        new() { Name = "deliveries_undisclosed", Storage = FieldStorage.Kept, Sql = "d.deliveries_undisclosed" },
        new() { Name = "status", Storage = FieldStorage.Written, Sql = "d.status", Type = ColumnType.Text, Required = true, SortPosition = 7, Value = w => w.Status,
            Meaning = "How far the donation has gone: announced, committed (contracted or approved), partially_delivered or delivered (it has deliveries), or cancelled.", AllowedValues = string.Join(", ", WireEnum<DonationStatus>.Names), Enum = WireEnum<DonationStatus>.Names },
        .. PartialDateFields("announced_on", w => w.AnnouncedOn, sortPosition: 1, "When the donation was announced: yyyy, yyyy-MM or yyyy-MM-dd, as precisely as known; empty when unknown."),
        .. PartialDateFields("committed_on", w => w.CommittedOn, sortPosition: null, "When it was decided, approved or contracted: yyyy, yyyy-MM or yyyy-MM-dd; empty when unknown."),
        .. PartialDateFields("first_reported_on", w => w.FirstReportedOn, sortPosition: 2, "The earliest publication date of the sources its evidence cites (derived from the evidence on every write)."),
        new() { Name = "value_amount", Storage = FieldStorage.Written, Sql = "d.value_amount_minor", WireSql = DonationJson.ValueAmountText, Type = ColumnType.Decimal, Nullable = true, Value = w => w.ValueAmountMinor,
            Meaning = "The stated value, in value_currency, with that currency's decimals; empty when not stated.", AllowedValues = "> 0", Unit = "value_currency",
            Decimal = (22, 4) }, // four decimals, the most any currency has (ISO 4217)
        new() { Name = "value_currency", Storage = FieldStorage.Written, Sql = "d.value_currency", Type = ColumnType.Text, Nullable = true, Value = w => w.ValueCurrency,
            Meaning = "The currency of value_amount (ISO 4217); empty exactly when value_amount is.", AllowedValues = "ISO 4217 code" },
        new() { Name = "value_basis", Storage = FieldStorage.Written, Sql = "d.value_basis", Type = ColumnType.Text, Nullable = true, Value = w => w.ValueBasis,
            Meaning = "What the value rests on; empty when there is no value.", AllowedValues = string.Join(", ", WireEnum<ValueBasis>.Names), Enum = WireEnum<ValueBasis>.Names },
        new() { Name = "value_eur", Storage = FieldStorage.Written, Sql = "d.value_eur_cents", WireSql = DonationJson.ValueEurText, Type = ColumnType.Decimal, Nullable = true, SortPosition = 9, Value = w => w.ValueEurCents,
            Meaning = "The value in euros; empty without a source figure or a rate.", AllowedValues = ">= 0", Unit = "EUR", Decimal = (20, 2) },
        new() { Name = "value_eur_method", Storage = FieldStorage.Written, Sql = "d.value_eur_method", Type = ColumnType.Text, Nullable = true, Value = w => w.ValueEurMethod,
            Meaning = "How value_eur was reached: reported (by the source or an editor) or converted (at an ECB reference rate); empty exactly when value_eur is.", AllowedValues = string.Join(", ", WireEnum<ValueEurMethod>.Names), Enum = WireEnum<ValueEurMethod>.Names },
        new() { Name = "value_eur_rate", Storage = FieldStorage.Written, Sql = "d.value_eur_rate", Type = ColumnType.Text, Nullable = true, Value = w => w.ValueEurRate,
            Meaning = "The ECB reference rate used, in units of value_currency per euro, as the ECB wrote it; only when converted." },
        new() { Name = "value_eur_rate_date", Storage = FieldStorage.Written, Sql = "d.value_eur_rate_date", Type = ColumnType.Date, Nullable = true, Value = w => w.ValueEurRateDate,
            Meaning = "The date of that rate; only when converted.", AllowedValues = "ISO 8601 date" },
        new() { Name = "notes", Storage = FieldStorage.Written, Sql = "d.notes", Type = ColumnType.Text, Nullable = true, Value = w => w.Notes,
            Meaning = "Free text." },
        new() { Name = "created_at", Storage = FieldStorage.Stamped, Sql = "d.created_at", WireSql = _ => DonationJson.TimestampText("d.created_at"), Type = ColumnType.Timestamp, SortPosition = 10, OnInsert = "@At",
            Meaning = "When the row was recorded (UTC, ISO 8601)." },
        new() { Name = "updated_at", Storage = FieldStorage.Stamped, Sql = "d.updated_at", WireSql = _ => DonationJson.TimestampText("d.updated_at"), Type = ColumnType.Timestamp, SortPosition = 11, OnInsert = "@At", OnUpdate = "@At",
            Meaning = "When the row last changed (UTC, ISO 8601)." },
        new() { Name = "deleted_at", Storage = FieldStorage.Stamped, Sql = "d.deleted_at", Nullable = true },
        // Where the record stands in review, and what its reviewer said (Review/): set by each write and each review,
        // versioned, not a field of the record itself (only published records are public, so exports never need it).
        new() { Name = "review_state", Storage = FieldStorage.Stamped, Sql = "d.review_state" },
        new() { Name = "review_comment", Storage = FieldStorage.Stamped, Sql = "d.review_comment", Nullable = true },
        new() { Name = "version", Storage = FieldStorage.Stamped, Sql = "d.version", Type = ColumnType.Integer, OnInsert = "1", OnUpdate = "version + 1",
            Meaning = "How many times the record (with its deliveries and evidence) has been written; its ETag.", AllowedValues = ">= 1" },
    ];

    /// <summary>
    /// A partial date's three columns (<see cref="PartialDate"/>): the wire field (its first day, written back as precise as
    /// it is known), and its precision and last day, stored and versioned but not on the wire.
    /// </summary>
    private static IEnumerable<DonationField> PartialDateFields(string name, Func<DonationWrite, PartialDate?> value, int? sortPosition, string meaning)
    {
        const FieldStorage storage = FieldStorage.Written;
        yield return new()
        {
            Name = name, Storage = storage, Sql = "d." + name, WireSql = _ => PartialDateText("d." + name), Type = ColumnType.Text, Nullable = true,
            SortPosition = sortPosition, Value = w => value(w)?.Start is { } start ? Timestamps.Format(start) : null,
            Meaning = meaning, AllowedValues = "yyyy, yyyy-MM or yyyy-MM-dd", Pattern = PartialDate.Pattern,
        };
        yield return new()
        {
            Name = name + "_precision", Storage = storage, Sql = $"d.{name}_precision", Nullable = true,
            Value = w => value(w) is { } date ? WireEnum<DatePrecision>.Name(date.Precision) : null,
        };
        yield return new()
        {
            Name = name + "_end", Storage = storage, Sql = $"d.{name}_end", Nullable = true,
            Value = w => value(w) is { } date ? Timestamps.Format(date.End) : null,
        };
    }

    /// <summary>A partial date's wire text in SQL: its first day cut to its precision (2022, 2022-03, 2022-03-06).</summary>
    public static string PartialDateText(string column) =>
        $"CASE {column}_precision WHEN 'year' THEN substr({column}, 1, 4) WHEN 'month' THEN substr({column}, 1, 7) ELSE {column} END";

    /// <summary>The fields on the wire, in order: the JSON object's fields, the export's columns, the codebook's rows.</summary>
    public static readonly IReadOnlyList<DonationField> Wire = [.. All.Where(f => f.Type is not null)];

    /// <summary>The fields a create, update or import writes from a <see cref="DonationWrite"/>, in order: the import file's and the generator's columns.</summary>
    public static readonly IReadOnlyList<DonationField> Written = [.. All.Where(f => f.Storage == FieldStorage.Written)];

    /// <summary>Written fields, then the stamps an insert sets: the columns of a new row.</summary>
    public static readonly IReadOnlyList<DonationField> Inserted = [.. Written, .. All.Where(f => f.OnInsert is not null)];

    /// <summary>The columns of a donation row apart from its id, as donations and donation_history both hold them.</summary>
    public static readonly IReadOnlyList<string> Versioned = [.. All.Where(f => f.Storage is FieldStorage.Written or FieldStorage.Stamped or FieldStorage.Kept).Select(f => f.Column!)];

    /// <summary>The columns of donations, id first.</summary>
    public static readonly IReadOnlyList<string> Stored = ["id", .. Versioned];

    /// <summary>The columns of a donation's history row before its versioned columns.</summary>
    public static readonly IReadOnlyList<string> HistoryStamp = ["donation_id", "operation", "changed_at", "changed_by", "request_id", "import_id"];

    /// <summary>Every field but the id as Dapper reads it into <see cref="DonationRow"/>, over <c>d</c> (donations or history) and the joins.</summary>
    public static readonly string Select = string.Join(", ", All.Where(f => f.Storage is not (FieldStorage.Key or FieldStorage.Kept))
        .Select(f => f.Storage == FieldStorage.Joined ? $"{f.Sql} AS {f.Name}" : f.Sql));

    /// <summary>The columns of a new row and their SQL: a written field's parameter (<see cref="DonationField.Parameter"/>), or a stamp's value.</summary>
    public static readonly (string Columns, string Values) Insert = (
        string.Join(", ", Inserted.Select(f => f.Column)), string.Join(", ", Inserted.Select(f => f.OnInsert ?? "@" + f.Parameter)));

    /// <summary>What an update sets: each written field to its parameter, and the stamps an update moves.</summary>
    public static readonly string UpdateSet = string.Join(", ",
        Written.Select(f => $"{f.Column} = @{f.Parameter}").Concat(All.Where(f => f.OnUpdate is not null).Select(f => $"{f.Column} = {f.OnUpdate}")));

    /// <summary>The versioned columns of donation_history <c>h</c> as a donations row: what <see cref="AsOf"/> reads the past from.</summary>
    public static readonly string FromHistory = string.Join(", ", ["h.donation_id AS id", .. Versioned.Select(column => "h." + column)]);

    /// <summary>The value of stamp <paramref name="field"/> in a new row written at <paramref name="at"/>, for writers that bind values rather than SQL.</summary>
    public static object? InsertedStamp(DonationField field, string at) => field.OnInsert switch
    {
        "@At" => at,
        "1" => 1L,
        _ => throw new InvalidOperationException($"The stamp {field.Name} inserts {field.OnInsert}, which only SQL can write."),
    };
}
