using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Donations;

/// <summary>
/// A donation's JSON as the database writes it (<see cref="SqlDialect.JsonObject"/>), for list pages. Reading 25 columns a row through
/// ADO.NET, then serialising them again, was most of a page's time; one text column a row is not. The object is
/// the <see cref="DonationResponse"/> of <c>GET /donations/{id}</c>, field for field, written as System.Text.Json
/// writes it: money with its currency's decimals, timestamps without trailing zeros. A test compares the two for
/// every row of a generated dataset, edge cases included.
/// </summary>
public static class DonationJson
{
    /// <summary>Writes <c>{"items": [...], "next": ...}</c> around items that are already JSON.</summary>
    public static async Task WritePageAsync(Stream body, IReadOnlyList<byte[]> items, string? next, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var item in items) writer.WriteRawValue(item, skipInputValidation: true);
        writer.WriteEndArray();
        if (next is not null) writer.WriteString("next", next);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>value_amount as text in its currency's decimals (null when unknown); only currencies without two are named.</summary>
    public static string ValueAmountText(SqlDialect dialect) =>
        "CASE " +
        string.Concat(Currencies.All.Where(c => c.Value != 2).GroupBy(c => c.Value).OrderBy(g => g.Key).Select(g =>
            $"WHEN d.value_currency IN ({string.Join(", ", g.Select(c => $"'{c.Key}'").Order(StringComparer.Ordinal))}) THEN {dialect.DecimalText("d.value_amount_minor", g.Key)} ")) +
        $"ELSE {dialect.DecimalText("d.value_amount_minor", 2)} END";

    /// <summary>value_eur as text with two decimals (null when unknown).</summary>
    public static string ValueEurText(SqlDialect dialect) => dialect.DecimalText("d.value_eur_cents", 2);

    /// <summary>
    /// The JSON object of the donation <c>d</c>: as its row keeps it (<see cref="Column"/>), or built from its columns,
    /// the joins of <see cref="DonationRepository.Joins"/> and its children, for as-of reads
    /// (<see cref="DonationChildren.JsonArrays"/>, AsOf standing history in for them).
    /// </summary>
    public static string Object(SqlDialect dialect, bool fromChildren) => fromChildren ? Built[dialect] : $"d.{Column}";

    /// <summary>
    /// The column of donations that keeps each one's JSON object, which every change to what it shows sets again
    /// (<see cref="Refresh"/>): building 28 fields a row with their joins was most of a list page's time (issue 17: a
    /// page at 0.8x the build before the wider shape; 5 µs a row against 1.5 µs to read the kept text on SQLite).
    /// </summary>
    public const string Column = "document";

    /// <summary>
    /// Sets the kept object of the donations that <paramref name="where"/> selects (over <c>donations</c>) from the row
    /// as it now stands: the last statement of every write of a donation, after its derived columns, and of every
    /// change to a country, weapon system or source whose names it shows. A statement of its own, since an UPDATE
    /// reads the row as it was before it.
    /// </summary>
    public static string Refresh(SqlDialect dialect, string where) =>
        $"UPDATE donations SET {Column} = (SELECT {Kept[dialect]} FROM donations d {DonationRepository.Joins(dialect)} WHERE d.id = donations.id) WHERE {where}";

    private static readonly PerDialect<string> Kept = new(dialect => Build(dialect, fromChildren: false));

    private static readonly PerDialect<string> Built = new(dialect => Build(dialect, fromChildren: true));

    private static string Build(SqlDialect dialect, bool fromChildren)
    {
        var (deliveries, evidence) = DonationChildren.JsonArrays(dialect, fromChildren);
        return dialect.JsonObject([
            .. DonationFields.Wire.Select(field => new JsonField(field.Name, field.Wire(dialect), field.WireIsJson)),
            new("deliveries", deliveries, IsJson: true),
            new("evidence", evidence, IsJson: true),
        ]);
    }

    /// <summary>A 0/1 column as the text true or false.</summary>
    public static string BooleanText(string column) => $"CASE {column} WHEN 1 THEN 'true' ELSE 'false' END";

    /// <summary>A stored timestamp (seven fraction digits) without trailing zeros, or its point when all are zero.</summary>
    public static string TimestampText(string column) => $"rtrim(rtrim(substr({column}, 1, 27), '0'), '.') || 'Z'";
}
