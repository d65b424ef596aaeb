using AidTracker.Api.Common;

namespace AidTracker.Api.Donations;

/// <summary>
/// donation_rollup: the live donations summed per donor, recipient, category, status and month of announcement
/// (<c>yyyy-MM</c>; <c>yyyy</c> for a year-precision announcement; <c>''</c> when undated), with every measure the stats
/// give. Its groups and sums as computed from the donations, as migration 0018 fills it: the one text of that SQL,
/// which bulk loads (<see cref="BulkInsert.EndAsync"/>), the stats' checks and the tests use. The migrations and the
/// per-row triggers keep their own copy: a migration is history and never changes.
/// </summary>
public static class DonationRollup
{
    /// <summary>The sums of a group, named as the stats name them (<c>Stats.MeasureData</c>).</summary>
    public static readonly IReadOnlyList<string> Measures =
    [
        "count", "quantity_promised", "quantity_promised_includes_at_least", "quantity_promised_approximate_count", "quantity_undisclosed",
        "quantity_delivered", "quantity_delivered_includes_at_least", "quantity_delivered_approximate_count", "quantity_delivered_undisclosed",
        "value_eur_cents",
    ];

    /// <summary>The rollup's columns, in the order <see cref="Select"/> writes them.</summary>
    public static readonly string Columns = string.Join(", ", ["donor", "recipient", "category", "status", "month", .. Measures]);

    /// <summary>The group of donation <c>d</c>: its announcement's month, or year when known only to the year, or '' when undated.</summary>
    public const string Month = "coalesce(substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), '')";

    /// <summary>The groups and sums of the donations <c>d</c> joined to <c>weapon_systems w</c>; the caller adds FROM and WHERE, then <see cref="GroupBy"/>.</summary>
    public const string Select = $"""
        SELECT d.donor, d.recipient, w.category, d.status, {Month},
            count(*),
            coalesce(sum(CASE WHEN d.quantity_qualifier IN ('exact', 'at_least') THEN d.quantity END), 0),
            sum(CASE WHEN d.quantity_qualifier = 'at_least' THEN 1 ELSE 0 END),
            sum(CASE WHEN d.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END),
            count(*) - count(d.quantity),
            coalesce(sum(d.quantity_delivered), 0), sum(d.deliveries_at_least), sum(d.deliveries_approximate), sum(d.deliveries_undisclosed),
            coalesce(sum(d.value_eur_cents), 0)
        """;

    public const string GroupBy = "GROUP BY 1, 2, 3, 4, 5";

    /// <summary>Adds groups into the rollup: sums go onto a group that exists already.</summary>
    public static readonly string AddToExisting =
        "ON CONFLICT (donor, recipient, category, status, month) DO UPDATE SET " +
        string.Join(", ", Measures.Select(m => $"{m} = donation_rollup.{m} + excluded.{m}"));

    /// <summary>The whole rollup of the live, published donations, as it should stand.</summary>
    public const string OfLiveDonations = $"""
        {Select}
        FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system
        WHERE d.deleted_at IS NULL AND {ReviewStates.IsPublished}
        {GroupBy}
        """;

    /// <summary>Adds the donations that <paramref name="donations"/> (a FROM … WHERE over <c>d</c> and <c>w</c>) selects into the rollup.</summary>
    public static string AddFrom(string donations) => $"""
        INSERT INTO donation_rollup ({Columns})
        {Select}
        {donations}
        {GroupBy}
        {AddToExisting}
        """;
}
