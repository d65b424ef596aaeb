using AidTracker.Api.Storage;

namespace AidTracker.Api.Donations;

/// <summary>
/// The dataset as it stood at a moment, read from the history tables. <see cref="With"/> is a WITH clause whose
/// tables are named donations, deliveries, evidence, sources, packages, countries and weapon_systems (a donation's deliveries
/// and evidence are the copies its version kept): SQL resolves an unqualified name to a common table
/// expression before a table, so the SQL of every read (lists, stats, exports) runs unchanged over the past. Its
/// parameter is <c>@as_of</c>, a stored timestamp. A donation reads as its last version at or before that moment, with
/// the deleted_at it had then: a row deleted later is live, a row created later is absent.
/// </summary>
public static class AsOf
{
    // {schema}.donations is the table: unqualified, the name would be this expression itself. The donations drive, one
    // seek each into donation_history_as_of, so that the rows come out in id order without a sort.
    public static string With(SqlDialect dialect) => $"""
        WITH donations AS{dialect.Inlined} (
            SELECT {DonationFields.FromHistory}
            FROM {dialect.Schema}.donations c {dialect.OrderedJoin} donation_history h ON h.id = (
                SELECT x.id FROM donation_history x WHERE x.donation_id = c.id AND x.changed_at <= @as_of
                ORDER BY x.changed_at DESC, x.version DESC LIMIT 1)),
        deliveries AS (
            SELECT h.delivery_id AS id, h.donation_id, h.delivered_on, h.delivered_on_precision, h.delivered_on_end, h.quantity, h.quantity_qualifier, h.notes
            FROM donations dv JOIN delivery_history h ON h.donation_id = dv.id AND h.donation_version = dv.version),
        evidence AS (
            SELECT h.evidence_id AS id, h.source_id, h.donation_id, h.delivery_id, h.package_id, h.quote, h.locator, h.credibility, h.supports
            FROM donations dv JOIN evidence_history h ON h.donation_id = dv.id AND h.donation_version = dv.version),
        sources AS MATERIALIZED (
            SELECT h.source_id AS id, h.kind, h.publisher, h.title, h.url, h.archived_url, h.published_on, h.published_on_precision,
                h.published_on_end, h.accessed_on, h.language, h.reliability, h.citation, h.notes, h.created_at, h.updated_at, h.deleted_at, h.version
            FROM source_history h
            WHERE h.id = (SELECT x.id FROM source_history x WHERE x.source_id = h.source_id AND x.changed_at <= @as_of
                ORDER BY x.changed_at DESC, x.version DESC LIMIT 1)),
        packages AS MATERIALIZED (
            SELECT h.package_id AS id, h.donor, h.title, h.instrument, h.announced_on, h.announced_on_precision, h.announced_on_end,
                h.value_amount_minor, h.value_currency, h.notes, h.created_at, h.updated_at, h.deleted_at, h.version
            FROM package_history h
            WHERE h.id = (SELECT x.id FROM package_history x WHERE x.package_id = h.package_id AND x.changed_at <= @as_of
                ORDER BY x.changed_at DESC, x.version DESC LIMIT 1)),
        countries AS MATERIALIZED (
            SELECT h.code, h.name, h.kind, h.iso2, h.eu_member, h.nato_member FROM country_history h
            WHERE h.id = (SELECT x.id FROM country_history x WHERE x.code = h.code AND x.changed_at <= @as_of
                ORDER BY x.changed_at DESC, x.id DESC LIMIT 1)),
        weapon_systems AS MATERIALIZED (
            SELECT h.weapon_system AS id, h.name, h.category, h.sipri_category, h.unroca_category, h.description
            FROM weapon_system_history h
            WHERE h.id = (SELECT x.id FROM weapon_system_history x WHERE x.weapon_system = h.weapon_system
                AND x.changed_at <= @as_of ORDER BY x.changed_at DESC, x.id DESC LIMIT 1))
        """;
}
