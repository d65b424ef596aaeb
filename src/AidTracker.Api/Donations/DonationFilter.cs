using System.Globalization;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Donations;

/// <summary>Which donations a query selects. Empty lists select everything.</summary>
public sealed record DonationFilter(
    IReadOnlyList<string> Donors,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> WeaponSystems,
    IReadOnlyList<string> Categories,
    IReadOnlyList<DonationStatus> Statuses,
    DateOnly? From,
    DateOnly? To,
    DateOnly? DeliveredFrom = null,
    DateOnly? DeliveredTo = null,
    string? TextQuery = null,
    string? SearchText = null,
    string? AsOf = null,
    string? Release = null)
{
    /// <summary>Every donation, now.</summary>
    public static readonly DonationFilter All = new([], [], [], [], [], null, null);

    /// <summary>Whether the filter selects some rows only (as_of and release choose a moment, not rows).</summary>
    public bool IsSlice => Applied().Keys.Any(key => key is not ("as_of" or "release"));

    /// <summary>What comes before the query's SELECT: <see cref="Donations.AsOf.With"/> when the query reads the past.</summary>
    public string With(SqlDialect dialect) => AsOf is null ? "" : Donations.AsOf.With(dialect) + " ";

    /// <summary>
    /// The WHERE clause (live rows, then each filter that is set), over <c>donations d</c> joined to
    /// <c>weapon_systems w</c>, and its parameters. Built only from fixed fragments; every value is a parameter,
    /// one per list item (<c>IN (@donor0, @donor1)</c>), so that the text is the same for the same shape of query.
    /// </summary>
    /// <param name="searchJoined">
    /// The query joins <c>donations_fts f</c> and lets it drive (<see cref="DonationRepository.ListAsync"/>), so
    /// <c>q</c> is a MATCH on it rather than a subquery that lists every match first.
    /// </param>
    public (string Sql, Dictionary<string, object?> Parameters) ToSql(SqlDialect dialect, bool searchJoined = false)
    {
        var sql = new StringBuilder("WHERE d.deleted_at IS NULL");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddMemberships(sql, parameters, "w.category");
        Compare(sql, parameters, "d.announced_on >=", "from", From is { } from ? Timestamps.Format(from) : null);
        Compare(sql, parameters, "d.announced_on <=", "to", To is { } to ? Timestamps.Format(to) : null);
        Compare(sql, parameters, "d.delivered_on >=", "delivered_from", DeliveredFrom is { } deliveredFrom ? Timestamps.Format(deliveredFrom) : null);
        Compare(sql, parameters, "d.delivered_on <=", "delivered_to", DeliveredTo is { } deliveredTo ? Timestamps.Format(deliveredTo) : null);
        if (TextQuery is not null)
        {
            sql.Append(" AND ").Append(dialect.SearchMatch(searchJoined));
            parameters.Add("text_query", TextQuery);
        }
        if (AsOf is not null) parameters.Add("as_of", AsOf);
        return (sql.ToString(), parameters);
    }

    /// <summary>
    /// The same filter over <c>donation_rollup d</c> (per donor, recipient, category, status and month), or null
    /// when a filter is finer than that: a weapon system, a delivery date, q, or a date range that does not start
    /// and end on month boundaries; or when the query reads the past, which the rollup does not keep.
    /// </summary>
    public (string Sql, Dictionary<string, object?> Parameters)? ToRollupSql()
    {
        if (WeaponSystems.Count > 0 || DeliveredFrom is not null || DeliveredTo is not null || TextQuery is not null || AsOf is not null) return null;
        if (From is { Day: not 1 } || To is { } to && to.Day != DateTime.DaysInMonth(to.Year, to.Month)) return null;
        var sql = new StringBuilder("WHERE true");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddMemberships(sql, parameters, "d.category");
        Compare(sql, parameters, "d.month >=", "from", From?.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Compare(sql, parameters, "d.month <=", "to", To?.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        return (sql.ToString(), parameters);
    }

    private void AddMemberships(StringBuilder sql, Dictionary<string, object?> parameters, string categoryColumn)
    {
        In(sql, parameters, "d.donor", "donor", Donors);
        In(sql, parameters, "d.recipient", "recipient", Recipients);
        In(sql, parameters, "d.weapon_system", "weapon_system", WeaponSystems);
        In(sql, parameters, categoryColumn, "category", Categories);
        In(sql, parameters, "d.status", "status", Statuses.Select(WireEnum<DonationStatus>.Name));
    }

    private static void In(StringBuilder sql, Dictionary<string, object?> parameters, string column, string name, IEnumerable<string> values)
    {
        var names = values.Select((value, i) =>
        {
            parameters.Add($"{name}{i}", value);
            return $"@{name}{i}";
        }).ToList();
        if (names.Count > 0) sql.Append($" AND {column} IN ({string.Join(", ", names)})");
    }

    private static void Compare(StringBuilder sql, Dictionary<string, object?> parameters, string condition, string name, string? value)
    {
        if (value is null) return;
        sql.Append($" AND {condition} @{name}");
        parameters.Add(name, value);
    }

    /// <summary>The filters that are set, by their query names, so that a response can say what it answered.</summary>
    public SortedDictionary<string, object> Applied()
    {
        var applied = new SortedDictionary<string, object>(StringComparer.Ordinal);
        if (Donors.Count > 0) applied["donor"] = Donors;
        if (Recipients.Count > 0) applied["recipient"] = Recipients;
        if (WeaponSystems.Count > 0) applied["weapon_system"] = WeaponSystems;
        if (Categories.Count > 0) applied["category"] = Categories;
        if (Statuses.Count > 0) applied["status"] = Statuses.Select(WireEnum<DonationStatus>.Name).ToList();
        if (From is { } from) applied["from"] = Timestamps.Format(from);
        if (To is { } to) applied["to"] = Timestamps.Format(to);
        if (DeliveredFrom is { } deliveredFrom) applied["delivered_from"] = Timestamps.Format(deliveredFrom);
        if (DeliveredTo is { } deliveredTo) applied["delivered_to"] = Timestamps.Format(deliveredTo);
        if (SearchText is not null) applied["q"] = SearchText;
        if (AsOf is not null) applied["as_of"] = AsOf;
        if (Release is not null) applied["release"] = Release;
        return applied;
    }
}
