using System.Text.Json;
using Dapper;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

/// <summary>Turns the query string of lists, stats and exports into a checked <see cref="DonationQuery"/> or <see cref="DonationFilter"/>.</summary>
public sealed class DonationQueryParser(
    CountryRepository countries, WeaponSystemRepository weaponSystems, IReleaseMoments releases, PageCursor cursors, Database connections, TimeProvider clock,
    IHttpContextAccessor requests)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    internal static readonly IntegerParameter Limit = new("limit", DefaultLimit, 1, MaxLimit);

    /// <summary>Parses and checks every parameter, collecting all errors; returns null when there are any.</summary>
    public async Task<DonationQuery?> ParseAsync(DonationFilterQuery filterQuery, DonationPageQuery query, FieldErrors errors, CancellationToken cancellationToken)
    {
        var filter = await ParseFilterAsync(filterQuery, errors, cancellationToken);
        var limit = Limit.Parse(query.Limit, errors);

        var sort = DonationSort.Parse(query.Sort, errors);
        IReadOnlyList<object?>? after = null;
        if (query.Cursor is not null && sort is not null)
        {
            after = await DecodeCursorAsync(query.Cursor, sort, errors, cancellationToken);
        }

        if (errors.Any) return null;
        return new DonationQuery(filter!, sort!, after, limit!.Value);
    }

    /// <summary>
    /// The filter of any query that has one: lists, stats and exports parse it here and nowhere else, each filter as
    /// <see cref="DonationFilters"/> declares it (lists, then dates, then q and the moment).
    /// </summary>
    public async Task<DonationFilter?> ParseFilterAsync(DonationFilterQuery query, FieldErrors errors, CancellationToken cancellationToken)
    {
        // Every list is split first, then values are checked, then codes are looked up: the errors object names its
        // keys in that order.
        var lists = DonationFilters.Lists.Select(list => (list, values: Values(list, query, errors))).ToList();
        foreach (var list in DonationFilters.ValueChecks)
        {
            var values = lists.Single(l => l.list == list).values;
            foreach (var value in values) list.Choice!.Parse(value, errors);
        }
        var filter = DonationFilter.All;
        foreach (var (list, values) in lists)
        {
            if (list.Known.Codes != KnownCodes.None && values.Count is > 0 and <= ListFilter.MaxListLength)
            {
                var known = list.Known.Codes switch
                {
                    KnownCodes.Countries => await countries.ExistingCodesAsync(values, cancellationToken),
                    KnownCodes.WeaponSystems => await weaponSystems.ExistingIdsAsync(values, cancellationToken),
                    KnownCodes.Sources => await LiveIdsAsync("sources", values, cancellationToken),
                    _ => await LiveIdsAsync("packages", values, cancellationToken),
                };
                foreach (var value in values.Where(v => !known.Contains(v))) errors.Add(list.Key, $"'{value}' is not a known {list.Known.What}.");
            }
            filter = list.With(filter, values);
        }
        foreach (var bound in DonationFilters.Dates)
        {
            var date = ParseDate(bound.Key, bound.Raw(query), errors);
            if (bound.NotBefore is { } start && DonationFilters.Dates.Single(d => d.Key == start).Value(filter) > date)
            {
                errors.Add(bound.Key, $"'{bound.Key}' is before '{start}'.");
            }
            filter = bound.With(filter, date);
        }
        filter = filter with { MinReliability = DonationFilters.Grade.Parse(query.MinReliability, errors) };
        string? textQuery = null;
        if (query.Q is not null)
        {
            textQuery = TextSearch.ToQuery(query.Q, connections.Dialect, out var error);
            if (error is not null) errors.Add("q", error);
        }
        var asOf = await ParseMomentAsync(query, errors, cancellationToken);
        if (asOf is not null && textQuery is not null) errors.Add("q", "q cannot be combined with as_of or release: the search index holds today's text only.");
        if (filter.ReviewStateList.Any(state => state != ReviewStates.Published))
        {
            // The output cache never serves a key that sees drafts (ReadCaching), so this answer is never one shared.
            if (requests.HttpContext?.User is not { } user || !KeyRights.SeesDrafts(user))
            {
                errors.Add("review_state", "Only published donations are public: review_state=draft or rejected needs the key of an editor, reviewer or admin.");
            }
            else if (query.Release is not null)
            {
                errors.Add("review_state", "A release holds published donations only: leave review_state out.");
            }
        }
        return errors.Any ? null : filter with { TextQuery = textQuery, SearchText = query.Q, AsOf = asOf, Release = query.Release };
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
            if (await releases.MomentAsync(query.Release, cancellationToken) is { } released) return released;
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

    /// <summary>
    /// Those of these ids (as given) that name a live row of <paramref name="table"/> (sources or packages, fixed by the
    /// filter), published unless the caller's key sees drafts (the public learns nothing of a draft): a value that is
    /// not an id is never one. Not cached, as reference codes are: these rows can be deleted.
    /// </summary>
    private async Task<IReadOnlySet<string>> LiveIdsAsync(string table, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var published = requests.HttpContext?.User is { } user && KeyRights.SeesDrafts(user) ? "" : $" AND review_state = '{ReviewStates.Published}'";
        var ids = values.Where(v => System.Text.RegularExpressions.Regex.IsMatch(v, DonationFilters.IdPattern)).Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (ids.Length == 0) return new HashSet<string>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var found = await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM {table} WHERE {connections.Dialect.In("id", "Ids")} AND deleted_at IS NULL{published}", new { Ids = ids }, cancellationToken: cancellationToken));
        return found.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A list's values as given, split and normalised, each counted once where the list says so.</summary>
    private static List<string> Values(ListFilter list, DonationFilterQuery query, FieldErrors errors)
    {
        var values = list.Split(query, errors).ConvertAll(value => list.Normalize(value));
        return list.Distinct ? [.. values.Distinct()] : values;
    }

    private static DateOnly? ParseDate(string field, string? value, FieldErrors errors)
    {
        if (value is null) return null;
        if (Timestamps.TryParseDate(value, out var date)) return date;
        errors.Add(field, $"'{value}' is not a date in the form yyyy-MM-dd.");
        return null;
    }
}
