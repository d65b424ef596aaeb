using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Releases;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Donations;

/// <summary>
/// The filter parameters that /donations, /stats/* and (later) /exports/* share, as bound from HTTP. Lists may be
/// comma-separated, repeated, or both. <see cref="DonationQueryParser"/> is the one place that turns them into a filter.
/// </summary>
public sealed record DonationFilterQuery(
    [property: FromQuery(Name = "donor"), Description("Donor country codes (ISO 3166-1 alpha-3, or EU / NATO): a comma list, or the parameter repeated. Any case.")]
    string[]? Donor,
    [property: FromQuery(Name = "recipient"), Description("Recipient country codes, as for donor.")]
    string[]? Recipient,
    [property: FromQuery(Name = "weapon_system"), Description("Weapon system ids from /api/v1/weapon-systems, such as fgm-148-javelin.")]
    string[]? WeaponSystem,
    [property: FromQuery(Name = "category"), Description("Weapon categories: anti-tank, manpads, air-defence, artillery, rocket-artillery, rocket-launcher, small-arms, ammunition, armoured-vehicle, tank, aircraft, helicopter, drone, naval, equipment, other.")]
    string[]? Category,
    [property: FromQuery(Name = "status"), Description("Statuses: announced, committed, delivered, cancelled.")]
    string[]? Status,
    [property: FromQuery(Name = "from"), Description("Earliest announced_on, inclusive, as yyyy-MM-dd.")]
    string? From,
    [property: FromQuery(Name = "to"), Description("Latest announced_on, inclusive, as yyyy-MM-dd.")]
    string? To,
    [property: FromQuery(Name = "delivered_from"), Description("Earliest delivered_on, inclusive, as yyyy-MM-dd. Rows without a delivery date are left out.")]
    string? DeliveredFrom,
    [property: FromQuery(Name = "delivered_to"), Description("Latest delivered_on, inclusive, as yyyy-MM-dd.")]
    string? DeliveredTo,
    [property: FromQuery(Name = "q"), Description("Full-text search over weapon name, source and notes: words (all required), \"quoted phrases\", and prefixes ending in *. Case and accents are ignored. Not with as_of or release: the search index holds today's text only.")]
    string? Q,
    [property: FromQuery(Name = "as_of"), Description("Answer from the dataset exactly as it stood at this moment (RFC 3339, such as 2026-01-31T00:00:00Z; not in the future): each donation as its last version then, rows deleted since included, rows created since left out, names and categories as they were.")]
    string? AsOf = null,
    [property: FromQuery(Name = "release"), Description("A release id from /api/v1/releases: the same as as_of set to that release's moment.")]
    string? Release = null);

/// <summary>The order and paging parameters of <c>GET /donations</c>.</summary>
public sealed record DonationPageQuery(
    [property: FromQuery(Name = "sort"), Description("Sort keys, comma-separated, '-' for descending: id, announced_on, delivered_on, donor, recipient, weapon_system, category, status, quantity, value_eur, created_at, updated_at. id is always the final tiebreak; nulls sort last. Default: id.")]
    string? Sort,
    [property: FromQuery(Name = "limit"), Description("Rows per page, 1 to 1000; 50 when absent.")]
    int? Limit,
    [property: FromQuery(Name = "cursor"), Description("The opaque position from a previous page's 'next' link. Do not build or edit it.")]
    string? Cursor);

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

/// <summary>A parsed list request: which rows, in which order, after which position, and how many.</summary>
public sealed record DonationQuery(DonationFilter Filter, DonationSort Sort, IReadOnlyList<object?>? After, int Limit);

public sealed class DonationQueryParser(
    CountryRepository countries, WeaponSystemRepository weaponSystems, ReleaseRepository releases, PageCursor cursors, Database connections, TimeProvider clock)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    private const int MaxListLength = 100;

    /// <summary>Parses and checks every parameter, collecting all errors; returns null when there are any.</summary>
    public async Task<DonationQuery?> ParseAsync(DonationFilterQuery filterQuery, DonationPageQuery query, FieldErrors errors, CancellationToken cancellationToken)
    {
        var filter = await ParseFilterAsync(filterQuery, errors, cancellationToken);
        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");

        var sort = DonationSort.Parse(query.Sort, errors);
        IReadOnlyList<object?>? after = null;
        if (query.Cursor is not null && sort is not null)
        {
            after = await DecodeCursorAsync(query.Cursor, sort, errors, cancellationToken);
        }

        if (errors.Any) return null;
        return new DonationQuery(filter!, sort!, after, limit);
    }

    /// <summary>The filter of any query that has one: lists, stats and exports parse it here and nowhere else.</summary>
    public async Task<DonationFilter?> ParseFilterAsync(DonationFilterQuery query, FieldErrors errors, CancellationToken cancellationToken)
    {
        var donors = SplitList("donor", query.Donor, errors).Select(CountryCodes.Normalize).ToList();
        var recipients = SplitList("recipient", query.Recipient, errors).Select(CountryCodes.Normalize).ToList();
        var weaponSystemIds = SplitList("weapon_system", query.WeaponSystem, errors).Select(WeaponSystemIds.Normalize).ToList();
        var categories = SplitList("category", query.Category, errors).Select(c => WeaponCategories.All.Canonical(c)!).Distinct().ToList();
        var statuses = new List<DonationStatus>();
        foreach (var status in SplitList("status", query.Status, errors))
        {
            if (WireEnum<DonationStatus>.TryParse(status, out var parsed)) statuses.Add(parsed);
            else errors.Add("status", $"'{status}' is not a status. Use one of: {string.Join(", ", WireEnum<DonationStatus>.Names)}.");
        }
        foreach (var category in categories.Where(c => !WeaponCategories.All.TryMatch(c, out _)))
        {
            errors.Add("category", $"'{category}' is not a category. {WeaponCategories.All.UseOneOf}");
        }

        await CheckKnownAsync("donor", donors, countries.ExistingCodesAsync, "country code", errors, cancellationToken);
        await CheckKnownAsync("recipient", recipients, countries.ExistingCodesAsync, "country code", errors, cancellationToken);
        await CheckKnownAsync("weapon_system", weaponSystemIds, weaponSystems.ExistingIdsAsync, "weapon system id", errors, cancellationToken);

        var from = ParseDate("from", query.From, errors);
        var to = ParseDate("to", query.To, errors);
        if (from > to) errors.Add("to", "'to' is before 'from'.");
        var deliveredFrom = ParseDate("delivered_from", query.DeliveredFrom, errors);
        var deliveredTo = ParseDate("delivered_to", query.DeliveredTo, errors);
        if (deliveredFrom > deliveredTo) errors.Add("delivered_to", "'delivered_to' is before 'delivered_from'.");
        string? textQuery = null;
        if (query.Q is not null)
        {
            textQuery = TextSearch.ToQuery(query.Q, connections.Dialect, out var error);
            if (error is not null) errors.Add("q", error);
        }
        var asOf = await ParseMomentAsync(query, errors, cancellationToken);
        if (asOf is not null && textQuery is not null) errors.Add("q", "q cannot be combined with as_of or release: the search index holds today's text only.");
        return errors.Any ? null : new DonationFilter(
            donors, recipients, weaponSystemIds, categories, statuses, from, to, deliveredFrom, deliveredTo, textQuery, query.Q, asOf, query.Release);
    }

    /// <summary>The stored timestamp that as_of or release names, or null for the present.</summary>
    private async Task<string?> ParseMomentAsync(DonationFilterQuery query, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (query.AsOf is not null && query.Release is not null)
        {
            errors.Add("release", "Give as_of or release, not both: a release is a moment already.");
            return null;
        }
        if (query.Release is not null)
        {
            if (await releases.FindAsync(query.Release, cancellationToken) is { } release) return release.AsOf;
            errors.Add("release", $"'{query.Release}' is not a release. GET /api/v1/releases lists them.");
            return null;
        }
        if (query.AsOf is null) return null;
        if (!Timestamps.TryParseMoment(query.AsOf, out var moment))
        {
            errors.Add("as_of", $"'{query.AsOf}' is not an RFC 3339 timestamp, such as 2026-01-31T00:00:00Z.");
            return null;
        }
        // The future is what neither the clock nor a stored change has reached (the change clock runs ahead of a
        // clock that stepped back).
        if (moment > clock.GetUtcNow() && (await connections.LatestChangeAsync(cancellationToken) is not { } latest || moment > Timestamps.Parse(latest)))
        {
            errors.Add("as_of", $"'{query.AsOf}' is in the future: the dataset at that moment is not known yet.");
            return null;
        }
        return Timestamps.Format(moment);
    }

    /// <summary>The position in a cursor, checked against its signature and against the sort of this request.</summary>
    private async Task<IReadOnlyList<object?>?> DecodeCursorAsync(string cursor, DonationSort sort, FieldErrors errors, CancellationToken cancellationToken)
    {
        var position = await cursors.DecodeAsync(cursor, cancellationToken);
        if (position is null)
        {
            errors.Add("cursor", "The cursor is malformed or has been altered. Use the 'next' link of a previous page as it was given.");
            return null;
        }
        if (position.Sort != sort.Spec)
        {
            errors.Add("cursor", $"The cursor was made for sort '{position.Sort}', not '{sort.Spec}'. Keep the sort of the first page.");
            return null;
        }
        var values = new List<object?>();
        foreach (var (key, element) in sort.Keys.Zip(position.Values))
        {
            object? value = element.ValueKind switch
            {
                JsonValueKind.Null when key.Column.Nullable => null,
                JsonValueKind.Number when key.Column.IsInteger && element.TryGetInt64(out var number) => number,
                JsonValueKind.String when !key.Column.IsInteger => element.GetString(),
                _ => Invalid,
            };
            if (value == Invalid) break;
            values.Add(value);
        }
        if (values.Count != sort.Keys.Count || position.Values.Count != sort.Keys.Count)
        {
            errors.Add("cursor", "The cursor does not fit this list's sort.");
            return null;
        }
        return values;
    }

    private static readonly object Invalid = new();

    private static List<string> SplitList(string field, string[]? values, FieldErrors errors)
    {
        var items = new List<string>();
        if (values is null) return items;
        foreach (var value in values)
        {
            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (item.Length == 0) errors.Add(field, $"{field} has an empty value.");
                else if (!items.Contains(item, StringComparer.Ordinal)) items.Add(item);
            }
        }
        if (items.Count > MaxListLength) errors.Add(field, $"{field} lists {items.Count} values; at most {MaxListLength} are allowed.");
        return items;
    }

    private static async Task CheckKnownAsync(
        string field,
        IReadOnlyList<string> values,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlySet<string>>> existing,
        string what,
        FieldErrors errors,
        CancellationToken cancellationToken)
    {
        if (values.Count == 0 || values.Count > MaxListLength) return;
        var known = await existing(values, cancellationToken);
        foreach (var unknown in values.Where(v => !known.Contains(v)))
        {
            errors.Add(field, $"'{unknown}' is not a known {what}.");
        }
    }

    private static DateOnly? ParseDate(string field, string? value, FieldErrors errors)
    {
        if (value is null) return null;
        if (Timestamps.TryParseDate(value, out var date)) return date;
        errors.Add(field, $"'{value}' is not a date in the form yyyy-MM-dd.");
        return null;
    }
}
