using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

/// <summary>Turns the query string of lists, stats and exports into a checked <see cref="DonationQuery"/> or <see cref="DonationFilter"/>.</summary>
public sealed class DonationQueryParser(
    CountryRepository countries, WeaponSystemRepository weaponSystems, IReleaseMoments releases, PageCursor cursors, Database connections, TimeProvider clock)
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
