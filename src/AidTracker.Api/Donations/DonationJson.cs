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
    /// <summary>The JSON object of the donation <c>d</c>, over the joins of <see cref="DonationRepository"/>.</summary>
    public static readonly string Object = $"""
        json_object(
            'id', d.id, 'donor', d.donor, 'donor_name', dc.name, 'recipient', d.recipient, 'recipient_name', rc.name,
            'weapon_system', d.weapon_system, 'weapon_system_name', w.name, 'category', w.category,
            'quantity', d.quantity, 'quantity_qualifier', d.quantity_qualifier, 'status', d.status,
            'announced_on', d.announced_on, 'delivered_on', d.delivered_on,
            'value_amount', {Amount()}, 'value_currency', d.value_currency, 'value_eur', {Decimal("d.value_eur_cents", 2)},
            'value_is_estimate', json(CASE d.value_is_estimate WHEN 1 THEN 'true' ELSE 'false' END),
            'funding', d.funding, 'source', d.source, 'source_url', d.source_url, 'notes', d.notes,
            'created_at', {Timestamp("d.created_at")}, 'updated_at', {Timestamp("d.updated_at")}, 'version', d.version)
        """;

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

    /// <summary>value_amount in its currency's decimals; only the currencies without two are named.</summary>
    private static string Amount() =>
        "CASE " +
        string.Concat(Currencies.All.Where(c => c.Value != 2).GroupBy(c => c.Value).OrderBy(g => g.Key).Select(g =>
            $"WHEN d.value_currency IN ({string.Join(", ", g.Select(c => $"'{c.Key}'").Order(StringComparer.Ordinal))}) THEN {Decimal("d.value_amount_minor", g.Key)} ")) +
        $"ELSE {Decimal("d.value_amount_minor", 2)} END";

    /// <summary>Minor units as a JSON number with <paramref name="decimals"/> decimals: 1250 → 12.50.</summary>
    private static string Decimal(string minor, int decimals) => decimals == 0
        ? minor
        : $"iif({minor} IS NULL, NULL, json(printf('%d.%0{decimals}d', {minor} / {(long)Math.Pow(10, decimals)}, {minor} % {(long)Math.Pow(10, decimals)})))";

    /// <summary>A stored timestamp (seven fraction digits) without trailing zeros, or its point when all are zero.</summary>
    private static string Timestamp(string column) => $"rtrim(rtrim(substr({column}, 1, 27), '0'), '.') || 'Z'";
}
