using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Donations;

/// <summary>Which donations a query selects. Empty lists select everything.</summary>
public sealed record DonationFilter(
    IReadOnlyList<string> Donors,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> WeaponSystems,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Statuses,
    DateOnly? From,
    DateOnly? To,
    DateOnly? DeliveredFrom = null,
    DateOnly? DeliveredTo = null,
    string? TextQuery = null,
    string? SearchText = null,
    string? AsOf = null,
    string? Release = null)
{
    public IReadOnlyList<string> Funders { get; init; } = [];

    /// <summary>Package ids, as given (digits).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Source ids, as given (digits).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public IReadOnlyList<string> SourceKinds { get; init; } = [];

    /// <summary>The least grade a cited source must have (A–F), or null.</summary>
    public string? MinReliability { get; init; }

    public DateOnly? FirstReportedFrom { get; init; }

    public DateOnly? FirstReportedTo { get; init; }

    /// <summary>The review states asked for (<see cref="DonationFilters.ReviewState"/>); empty: published only.</summary>
    public IReadOnlyList<string> ReviewStateList { get; init; } = [];

    /// <summary>Every donation, now.</summary>
    public static readonly DonationFilter All = new([], [], [], [], [], null, null);

    /// <summary>Whether the filter selects some rows only (as_of and release choose a moment, not rows).</summary>
    public bool IsSlice => Applied().Keys.Any(key => key is not ("as_of" or "release"));

    /// <summary>What comes before the query's SELECT: <see cref="Donations.AsOf.With"/> when the query reads the past.</summary>
    public string With(SqlDialect dialect) => AsOf is null ? "" : Donations.AsOf.With(dialect) + " ";

    /// <summary>
    /// The WHERE clause (live rows, published unless review_state says otherwise, then each filter of <see cref="DonationFilters.All"/> that is set), over
    /// <c>donations d</c> joined to <c>weapon_systems w</c>, and its parameters. Built only from fixed fragments; every
    /// value is a parameter, one per list item (<c>IN (@donor0, @donor1)</c>), so that the text is the same for the
    /// same shape of query.
    /// </summary>
    /// <param name="searchJoined">The query joins the search index and lets it drive (<see cref="DonationFilters.Q"/>).</param>
    public (string Sql, Dictionary<string, object?> Parameters) ToSql(SqlDialect dialect, bool searchJoined = false)
    {
        var sql = new FilterSql("WHERE d.deleted_at IS NULL" + (ReviewStateList.Count == 0 ? $" AND {ReviewStates.IsPublished}" : ""));
        foreach (var field in DonationFilters.All) field.AddSql(this, dialect, searchJoined, sql);
        return (sql.Where.ToString(), sql.Parameters);
    }

    /// <summary>
    /// The same filter over <c>donation_rollup d</c> (per donor, recipient, category, status and month), or null
    /// when a filter is finer than that: a weapon system, a delivery date, q, or a date range that does not start
    /// and end on month boundaries; or when the query reads the past, which the rollup does not keep.
    /// </summary>
    public (string Sql, Dictionary<string, object?> Parameters)? ToRollupSql()
    {
        var sql = new FilterSql("WHERE true");
        foreach (var field in DonationFilters.All)
        {
            if (!field.AddRollupSql(this, sql)) return null;
        }
        return (sql.Where.ToString(), sql.Parameters);
    }

    /// <summary>The filters that are set, by their query names, so that a response can say what it answered.</summary>
    public AppliedFilters Applied()
    {
        var applied = new AppliedFilters();
        foreach (var field in DonationFilters.All)
        {
            if (field.Applied(this) is { } value) applied[field.Key] = value;
        }
        return applied;
    }
}

/// <summary>
/// The filters a response says it answered (<c>filters</c>), by their query names, in order. Its schema comes from the
/// filter declarations (<see cref="DonationFilters.AppliedSchema"/>), so that a new filter is in the document as it is
/// in the response.
/// </summary>
public sealed class AppliedFilters() : SortedDictionary<string, object>(StringComparer.Ordinal);
