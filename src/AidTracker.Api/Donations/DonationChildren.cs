using System.Data;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Donations;

/// <summary>A piece of evidence as Dapper reads it (from evidence, or from evidence_history with its donation version).</summary>
public sealed class EvidenceRow
{
    public long Id { get; set; }
    public long DonationVersion { get; set; }
    public long SourceId { get; set; }
    public string? SourceTitle { get; set; }
    public long? DeliveryId { get; set; }
    public string? Quote { get; set; }
    public string? Locator { get; set; }
    public long? Credibility { get; set; }
    public string Supports { get; set; } = "";

    public EvidenceResponse ToResponse() => new(
        Id, SourceId, SourceTitle, Quote, Locator, Credibility is { } grade ? (int)grade : null,
        [.. Supports.Split(',').Select(WireEnum<EvidenceSupport>.Parse)]);
}

/// <summary>A delivery as Dapper reads it (from deliveries, or from delivery_history with its donation version).</summary>
public sealed class DeliveryRow
{
    public long? Id { get; set; }
    public long DonationVersion { get; set; }
    public string? DeliveredOn { get; set; }
    public string? DeliveredOnPrecision { get; set; }
    public long? Quantity { get; set; }
    public string QuantityQualifier { get; set; } = "";
    public string? Notes { get; set; }

    public DeliveryResponse ToResponse(IEnumerable<EvidenceRow> evidence) => new(
        Id,
        DeliveredOn is null ? null : PartialDate.FromStorage(DeliveredOn, DeliveredOnPrecision!).ToString(),
        Quantity,
        WireEnum<QuantityQualifier>.Parse(QuantityQualifier),
        Notes,
        [.. evidence.Where(e => e.DeliveryId is not null && e.DeliveryId == Id).Select(e => e.ToResponse())]);
}

/// <summary>A delivery to write, in storage form; <see cref="Id"/> keeps an existing one.</summary>
public sealed record DeliveryWrite(long? Id, PartialDate? DeliveredOn, long? Quantity, string QuantityQualifier, string? Notes, IReadOnlyList<EvidenceWrite> Evidence)
{
    public static DeliveryWrite From(long? id, string? deliveredOn, long? quantity, QuantityQualifier? qualifier, string? notes, IReadOnlyList<EvidenceRequest>? evidence) => new(
        id,
        PartialDate.TryParse(deliveredOn, out var date) ? date : null,
        quantity,
        WireEnum<QuantityQualifier>.Name(qualifier ?? (quantity is null ? Donations.QuantityQualifier.Undisclosed : Donations.QuantityQualifier.Exact)),
        notes,
        [.. (evidence ?? []).Select(EvidenceWrite.From)]);
}

/// <summary>A piece of evidence to write, in storage form: <see cref="Supports"/> is the comma list in the enum's order.</summary>
public sealed record EvidenceWrite(long SourceId, string? Quote, string? Locator, long? Credibility, string Supports)
{
    public static EvidenceWrite From(EvidenceRequest request) => new(
        request.Source!.Value, request.Quote, request.Locator, request.Credibility,
        string.Join(',', request.Supports!.Distinct().Order().Select(WireEnum<EvidenceSupport>.Name)));
}

/// <summary>
/// A donation's deliveries and evidence: their JSON built in SQL (lists, exports) and kept on the donation's row, their
/// reads, their writes, and the copies each donation version keeps in delivery_history and evidence_history. The SQL
/// names deliveries, evidence and sources unqualified, so that <see cref="AsOf"/> can stand the past in for them.
/// </summary>
public static class DonationChildren
{
    /// <summary>
    /// The JSON arrays of donation <c>d</c>'s deliveries (each with its evidence) and evidence, in a list item's form.
    /// From the children themselves (<paramref name="fromChildren"/>: what as-of reads need, AsOf standing history in
    /// for them), or from the columns on the row that every write keeps equal to that (<see cref="JsonSet"/>): a page
    /// of 50 items built them with four subqueries per item, most of its time.
    /// </summary>
    public static (string Deliveries, string Evidence) JsonArrays(SqlDialect dialect, bool fromChildren) =>
        fromChildren ? Built[dialect] : ("d.deliveries_json", "d.evidence_json");

    /// <summary>The columns of donations that keep the two arrays: what a copy of the database carries as they are.</summary>
    public static readonly IReadOnlyList<string> JsonColumns = ["deliveries_json", "evidence_json"];

    private static readonly PerDialect<(string Deliveries, string Evidence)> Built = new(dialect => BuildArrays(dialect, "d.id"));

    /// <summary>The arrays of the donation whose id is <paramref name="donation"/>, built from its children.</summary>
    private static (string Deliveries, string Evidence) BuildArrays(SqlDialect dialect, string donation)
    {
        string EvidenceOf(string owner) => dialect.JsonArray(
            dialect.JsonObject([
                new("id", "e.id"), new("source", "e.source_id"), new("source_title", SourceTitle), new("quote", "e.quote"),
                new("locator", "e.locator"), new("credibility", "e.credibility"),
                new("supports", "'[\"' || replace(e.supports, ',', '\",\"') || '\"]'", IsJson: true),
            ]),
            $"FROM evidence e LEFT JOIN sources s ON s.id = e.source_id WHERE {owner}", "e.id");
        var deliveries = dialect.JsonArray(
            dialect.JsonObject([
                new("id", "x.id"), new("delivered_on", DonationFields.PartialDateText("x.delivered_on")), new("quantity", "x.quantity"),
                new("quantity_qualifier", "x.quantity_qualifier"), new("notes", "x.notes"),
                new("evidence", EvidenceOf("e.delivery_id = x.id"), IsJson: true),
            ]),
            $"FROM deliveries x WHERE x.donation_id = {donation}", "x.id");
        return (deliveries, EvidenceOf($"e.donation_id = {donation} AND e.delivery_id IS NULL"));
    }

    /// <summary>
    /// Sets the JSON columns of the donations an UPDATE reads (over <c>donations</c>) from their children and the
    /// sources they cite: after every write of a donation's children, and for the donations citing a source that changed.
    /// </summary>
    private static readonly PerDialect<string> JsonSet = new(dialect =>
    {
        var (deliveries, evidence) = BuildArrays(dialect, "donations.id");
        return $"deliveries_json = {deliveries},\n    evidence_json = {evidence}";
    });

    /// <summary>A source's name for display: its title, else its citation, else its address.</summary>
    private const string SourceTitle = "coalesce(s.title, s.citation, s.url)";

    /// <summary>
    /// The name of the source in a past version: the one its last published version gave (null when it never was), so
    /// that the public history of a donation never shows a source's draft (the source may have changed since).
    /// </summary>
    private const string PublishedSourceTitle = $"""
        (SELECT coalesce(h.title, h.citation, h.url) FROM source_history h
            WHERE h.source_id = e.source_id AND h.review_state = '{ReviewStates.Published}' ORDER BY h.changed_at DESC, h.version DESC LIMIT 1)
        """;

    private const string EvidenceFields = "e.delivery_id, e.quote, e.locator, e.credibility, e.supports";

    private const string EvidenceColumns = $"e.source_id, {SourceTitle} AS source_title, {EvidenceFields}";

    private const string DeliveryColumns = "x.delivered_on, x.delivered_on_precision, x.quantity, x.quantity_qualifier, x.notes";

    private const string SelectEvidence = $"SELECT e.id, 0 AS donation_version, {EvidenceColumns} FROM evidence e LEFT JOIN sources s ON s.id = e.source_id WHERE e.donation_id = @Id ORDER BY e.id";

    private const string SelectDeliveries = $"SELECT x.id, 0 AS donation_version, {DeliveryColumns} FROM deliveries x WHERE x.donation_id = @Id ORDER BY x.id";

    private const string SelectEvidenceHistory = $"""
        SELECT e.evidence_id AS id, e.donation_version, e.source_id, {PublishedSourceTitle} AS source_title, {EvidenceFields}
        FROM evidence_history e WHERE e.donation_id = @Id ORDER BY e.donation_version, e.evidence_id
        """;

    private const string SelectDeliveryHistory = $"""
        SELECT x.delivery_id AS id, x.donation_version, {DeliveryColumns}
        FROM delivery_history x WHERE x.donation_id = @Id ORDER BY x.donation_version, x.id
        """;

    /// <summary>Reads the donation's current deliveries and evidence into <paramref name="row"/>.</summary>
    public static async Task LoadAsync(IDbConnection connection, IDbTransaction? transaction, DonationRow row, CancellationToken cancellationToken)
    {
        row.Evidence = (await connection.QueryAsync<EvidenceRow>(new CommandDefinition(SelectEvidence, new { row.Id }, transaction, cancellationToken: cancellationToken))).AsList();
        row.Deliveries = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(SelectDeliveries, new { row.Id }, transaction, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Reads the copies of every version of the donation into each history row's record.</summary>
    public static async Task LoadHistoryAsync(IDbConnection connection, long id, IReadOnlyList<DonationHistoryRow> rows, CancellationToken cancellationToken)
    {
        var evidence = (await connection.QueryAsync<EvidenceRow>(new CommandDefinition(SelectEvidenceHistory, new { Id = id }, cancellationToken: cancellationToken)))
            .ToLookup(e => e.DonationVersion);
        var deliveries = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(SelectDeliveryHistory, new { Id = id }, cancellationToken: cancellationToken)))
            .ToLookup(x => x.DonationVersion);
        foreach (var row in rows)
        {
            row.Record.Evidence = [.. evidence[row.Record.Version]];
            row.Record.Deliveries = [.. deliveries[row.Record.Version]];
        }
    }

    private const string InsertEvidence = """
        INSERT INTO evidence (source_id, donation_id, delivery_id, package_id, quote, locator, credibility, supports)
        VALUES (@SourceId, @DonationId, @DeliveryId, NULL, @Quote, @Locator, @Credibility, @Supports)
        """;

    private const string InsertDelivery = """
        INSERT INTO deliveries (donation_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes)
        VALUES (@DonationId, @DeliveredOn, @DeliveredOnPrecision, @DeliveredOnEnd, @Quantity, @QuantityQualifier, @Notes) RETURNING id
        """;

    private const string UpdateDelivery = """
        UPDATE deliveries SET delivered_on = @DeliveredOn, delivered_on_precision = @DeliveredOnPrecision, delivered_on_end = @DeliveredOnEnd,
            quantity = @Quantity, quantity_qualifier = @QuantityQualifier, notes = @Notes
        WHERE id = @Id AND donation_id = @DonationId
        """;

    /// <summary>
    /// Writes the donation's evidence and, when <paramref name="deliveries"/> is given, replaces its deliveries: a delivery
    /// with an id of this donation keeps it, the others are new, those not named are removed (their copies stay in
    /// history). <paramref name="keepDeliveries"/> adds the deliveries to the ones there are. Returns the index of a
    /// delivery whose id is not one of this donation's, or null.
    /// </summary>
    public static async Task<int?> WriteAsync(
        WriteScope write, long donationId, IReadOnlyList<EvidenceWrite>? evidence, IReadOnlyList<DeliveryWrite> deliveries, bool keepDeliveries,
        CancellationToken cancellationToken)
    {
        var (connection, transaction) = (write.Connection, write.Transaction);
        var existing = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM deliveries WHERE donation_id = @DonationId", new { DonationId = donationId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (deliveries[i].Id is { } id && !existing.Contains(id)) return i;
        }

        // The evidence goes first: deliveries it cites may be removed. Without evidence (a delivery added) the rest stays.
        if (evidence is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM evidence WHERE donation_id = @DonationId", new { DonationId = donationId }, transaction, cancellationToken: cancellationToken));
        }
        if (!keepDeliveries)
        {
            var kept = deliveries.Select(d => d.Id).OfType<long>().ToHashSet();
            foreach (var gone in existing.Where(id => !kept.Contains(id)))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM deliveries WHERE id = @Id", new { Id = gone }, transaction, cancellationToken: cancellationToken));
            }
        }
        foreach (var item in evidence ?? []) await InsertEvidenceAsync(write, donationId, null, item, cancellationToken);
        foreach (var delivery in deliveries)
        {
            var values = DeliveryValues(delivery, donationId);
            var id = delivery.Id;
            if (id is null)
            {
                id = await connection.QuerySingleAsync<long>(new CommandDefinition(InsertDelivery, values, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(UpdateDelivery, values, transaction, cancellationToken: cancellationToken));
            }
            foreach (var item in delivery.Evidence) await InsertEvidenceAsync(write, donationId, id, item, cancellationToken);
        }
        return null;
    }

    /// <summary>
    /// Writes the evidence and deliveries (each with its evidence) of a donation just inserted, which has none yet: an
    /// imported row. Nothing is read or removed first.
    /// </summary>
    public static async Task InsertNewAsync(
        WriteScope write, long donationId, IReadOnlyList<EvidenceWrite> evidence, IReadOnlyList<DeliveryWrite> deliveries, CancellationToken cancellationToken)
    {
        foreach (var item in evidence) await InsertEvidenceAsync(write, donationId, null, item, cancellationToken);
        foreach (var delivery in deliveries)
        {
            var id = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
                InsertDelivery, DeliveryValues(delivery with { Id = null }, donationId), write.Transaction, cancellationToken: cancellationToken));
            foreach (var item in delivery.Evidence) await InsertEvidenceAsync(write, donationId, id, item, cancellationToken);
        }
    }

    private static object DeliveryValues(DeliveryWrite delivery, long donationId) => new
    {
        delivery.Id,
        DonationId = donationId,
        DeliveredOn = delivery.DeliveredOn is { } on ? Timestamps.Format(on.Start) : null,
        DeliveredOnPrecision = delivery.DeliveredOn is { } precise ? WireEnum<DatePrecision>.Name(precise.Precision) : null,
        DeliveredOnEnd = delivery.DeliveredOn is { } end ? Timestamps.Format(end.End) : null,
        delivery.Quantity,
        delivery.QuantityQualifier,
        delivery.Notes,
    };

    private static Task InsertEvidenceAsync(WriteScope write, long donationId, long? deliveryId, EvidenceWrite item, CancellationToken cancellationToken) =>
        write.Connection.ExecuteAsync(new CommandDefinition(InsertEvidence,
            new { item.SourceId, DonationId = donationId, DeliveryId = deliveryId, item.Quote, item.Locator, item.Credibility, item.Supports },
            write.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// first_reported_on of a donation (over <c>donations</c>): the earliest published_on of the live sources its
    /// evidence cites (null when none is left). Setting it also indexes the donation again for search, with its evidence.
    /// </summary>
    private const string FirstReportedSet = """
        first_reported_on = (SELECT min(s.published_on) FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = donations.id AND s.deleted_at IS NULL),
        first_reported_on_precision = (SELECT s.published_on_precision FROM evidence e JOIN sources s ON s.id = e.source_id
            WHERE e.donation_id = donations.id AND s.deleted_at IS NULL ORDER BY s.published_on, s.published_on_end, s.id LIMIT 1),
        first_reported_on_end = (SELECT s.published_on_end FROM evidence e JOIN sources s ON s.id = e.source_id
            WHERE e.donation_id = donations.id AND s.deleted_at IS NULL ORDER BY s.published_on, s.published_on_end, s.id LIMIT 1)
        """;

    /// <summary>The delivered totals a donation keeps (over <c>donations</c>, <see cref="FieldStorage.Kept"/>); setting them moves its rollup group.</summary>
    private const string DeliveredSet = """
        quantity_delivered = (SELECT sum(x.quantity) FROM deliveries x WHERE x.donation_id = donations.id AND x.quantity_qualifier IN ('exact', 'at_least')),
        deliveries_at_least = (SELECT count(*) FROM deliveries x WHERE x.donation_id = donations.id AND x.quantity_qualifier = 'at_least'),
        deliveries_approximate = (SELECT count(*) FROM deliveries x WHERE x.donation_id = donations.id AND x.quantity_qualifier = 'approximate'),
        deliveries_undisclosed = (SELECT count(*) FROM deliveries x WHERE x.donation_id = donations.id AND x.quantity_qualifier = 'undisclosed')
        """;

    /// <summary>
    /// Sets first_reported_on and the JSON of the donations that <paramref name="where"/> selects (over <c>donations</c>):
    /// what their evidence and the sources it cites feed. What a source's change and an import run.
    /// </summary>
    public static string RefreshFromEvidence(SqlDialect dialect, string where) => $"UPDATE donations SET {FirstReportedSet},\n    {JsonSet[dialect]} WHERE {where}";

    /// <summary>Sets the JSON of the donations that <paramref name="where"/> selects: what the generator runs, which sets first_reported_on itself.</summary>
    public static string RefreshJson(SqlDialect dialect, string where) => $"UPDATE donations SET {JsonSet[dialect]} WHERE {where}";

    /// <summary>Sets the delivered totals of the donations that <paramref name="where"/> selects: what bulk writes run for the rows with deliveries.</summary>
    public static string RefreshDelivered(string where) => $"UPDATE donations SET {DeliveredSet} WHERE {where}";

    /// <summary>
    /// All three, in one UPDATE (the search index and the rollup's triggers run once): what a donation's write runs
    /// after its row and children are written, before the version is copied to history.
    /// </summary>
    public static string RefreshDerived(SqlDialect dialect, string where) => $"UPDATE donations SET {FirstReportedSet}, {DeliveredSet},\n    {JsonSet[dialect]} WHERE {where}";

    /// <summary>Selects (over donations) the donations that have deliveries: the only ones whose kept totals a bulk write must set.</summary>
    public const string HasDeliveries = "EXISTS (SELECT 1 FROM deliveries x WHERE x.donation_id = donations.id)";

    /// <summary>Copies the current deliveries and evidence of the donations that <paramref name="where"/> selects (over <c>d</c>) into history, at their current version.</summary>
    public static string CopyToHistory(string where) => $"""
        INSERT INTO delivery_history (donation_id, donation_version, delivery_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes)
        SELECT x.donation_id, d.version, x.id, x.delivered_on, x.delivered_on_precision, x.delivered_on_end, x.quantity, x.quantity_qualifier, x.notes
        FROM donations d JOIN deliveries x ON x.donation_id = d.id WHERE {where} ORDER BY x.id;
        INSERT INTO evidence_history (donation_id, donation_version, evidence_id, source_id, delivery_id, quote, locator, credibility, supports)
        SELECT e.donation_id, d.version, e.id, e.source_id, e.delivery_id, e.quote, e.locator, e.credibility, e.supports
        FROM donations d JOIN evidence e ON e.donation_id = d.id WHERE {where} ORDER BY e.id
        """;
}
