namespace AidTracker.Api.Donations;

/// <summary>
/// donation_rollup's groups and sums as computed from the donations, as migration 0005 first fills it: the one text of
/// that SQL, which bulk loads (<see cref="BulkInsert.EndAsync"/>) and the rollup's checks use. The migrations and the
/// per-row triggers keep their own copy: a migration is history and never changes.
/// </summary>
public static class DonationRollup
{
    /// <summary>The rollup's columns, in the order <see cref="Select"/> writes them.</summary>
    public const string Columns = "donor, recipient, category, status, month, count, quantity, quantity_undisclosed, value_eur_cents";

    /// <summary>The groups and sums of the donations <c>d</c> joined to <c>weapon_systems w</c>; the caller adds FROM and WHERE, then <see cref="GroupBy"/>.</summary>
    public const string Select = """
        SELECT d.donor, d.recipient, w.category, d.status,
            coalesce(substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), ''),
            count(*), coalesce(sum(d.quantity), 0), count(*) - count(d.quantity), coalesce(sum(d.value_eur_cents), 0)
        """;

    public const string GroupBy = "GROUP BY 1, 2, 3, 4, 5";

    /// <summary>Adds groups into the rollup: sums go onto a group that exists already.</summary>
    public const string AddToExisting = """
        ON CONFLICT (donor, recipient, category, status, month) DO UPDATE SET
            count = donation_rollup.count + excluded.count, quantity = donation_rollup.quantity + excluded.quantity,
            quantity_undisclosed = donation_rollup.quantity_undisclosed + excluded.quantity_undisclosed,
            value_eur_cents = donation_rollup.value_eur_cents + excluded.value_eur_cents
        """;

    /// <summary>The whole rollup of the live donations, as it should stand.</summary>
    public const string OfLiveDonations = $"""
        {Select}
        FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system
        WHERE d.deleted_at IS NULL
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
