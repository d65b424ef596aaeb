using System.Text.Json;
using AidTracker.Api.Infrastructure;

namespace AidTracker.Api.Donations;

/// <summary>
/// A donation's JSON as SQLite's <c>json_object</c> writes it, for list pages. Reading 25 columns a row through
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
    public static readonly string ValueAmountText =
        "CASE " +
        string.Concat(Currencies.All.Where(c => c.Value != 2).GroupBy(c => c.Value).OrderBy(g => g.Key).Select(g =>
            $"WHEN d.value_currency IN ({string.Join(", ", g.Select(c => $"'{c.Key}'").Order(StringComparer.Ordinal))}) THEN {DecimalText("d.value_amount_minor", g.Key)} ")) +
        $"ELSE {DecimalText("d.value_amount_minor", 2)} END";

    /// <summary>value_eur as text with two decimals (null when unknown).</summary>
    public static readonly string ValueEurText = DecimalText("d.value_eur_cents", 2);

    /// <summary>
    /// The JSON object of the donation <c>d</c>, over the joins of <see cref="DonationRepository"/>. Declared after the
    /// text forms it uses: static fields initialise in order.
    /// </summary>
    public static readonly string Object = $"""
        json_object(
            'id', d.id, 'donor', d.donor, 'donor_name', dc.name, 'recipient', d.recipient, 'recipient_name', rc.name,
            'weapon_system', d.weapon_system, 'weapon_system_name', w.name, 'category', w.category,
            'quantity', d.quantity, 'quantity_qualifier', d.quantity_qualifier, 'status', d.status,
            'announced_on', d.announced_on, 'delivered_on', d.delivered_on,
            'value_amount', json({ValueAmountText}), 'value_currency', d.value_currency, 'value_eur', json({ValueEurText}),
            'value_is_estimate', json({BooleanText("d.value_is_estimate")}),
            'funding', d.funding, 'source', d.source, 'source_url', d.source_url, 'notes', d.notes,
            'created_at', {TimestampText("d.created_at")}, 'updated_at', {TimestampText("d.updated_at")}, 'version', d.version)
        """;

    /// <summary>A 0/1 column as the text true or false.</summary>
    public static string BooleanText(string column) => $"CASE {column} WHEN 1 THEN 'true' ELSE 'false' END";

    /// <summary>A stored timestamp (seven fraction digits) without trailing zeros, or its point when all are zero.</summary>
    public static string TimestampText(string column) => $"rtrim(rtrim(substr({column}, 1, 27), '0'), '.') || 'Z'";

    /// <summary>Minor units as text with <paramref name="decimals"/> decimals: 1250 → 12.50.</summary>
    private static string DecimalText(string minor, int decimals) => decimals == 0
        ? $"CAST({minor} AS TEXT)"
        : $"iif({minor} IS NULL, NULL, printf('%d.%0{decimals}d', {minor} / {(long)Math.Pow(10, decimals)}, {minor} % {(long)Math.Pow(10, decimals)}))";
}
