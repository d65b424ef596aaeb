using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Sources;

/// <summary>
/// The order and paging of a versioned record's list (sources, packages): <c>sort</c> over the fields the
/// <see cref="RecordTable"/> declares sortable with <c>id</c> the tiebreak, <c>limit</c>, and the signed keyset
/// <c>cursor</c>, through the donations' <see cref="DonationSort"/> and <see cref="PageCursor"/>. It lives here, not in
/// Storage/, only because those two live in Donations/: once they move to Storage/, this moves with them.
/// </summary>
public sealed class RecordListing(RecordTable table)
{
    private readonly IReadOnlyDictionary<string, SortColumn> _columns = table.Sorts
        .ToDictionary(f => f.Name, f => new SortColumn(f.Name, f.Sql, f.Nullable, f.StoredAsInteger), StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>sort</c> parameter, for the OpenAPI document.</summary>
    public SortParameter Sort => new("sort", new SortList(table.Sorts.Select(f => f.Name), unique: "id"));

    /// <summary>The <c>review_state</c> parameter: which review states the list holds (published when absent).</summary>
    public const string ReviewStateDescription =
        "Records in these review states: published (all the public sees, and what the list holds without this filter), draft (waiting for a reviewer) or rejected. A state other than published needs the key of an editor, reviewer or admin.";

    public static readonly ChoiceParameter ReviewState = new("review_state", "a review state", ReviewStates.All);

    /// <summary>
    /// The condition over <c>r</c> on the review states <paramref name="given"/> asks for (published alone when absent);
    /// null with an error naming review_state when a value is unknown, or when a state other than published is asked
    /// for by a caller that does not see drafts (<paramref name="seesDrafts"/>: an editor's, reviewer's or admin's key).
    /// The output cache never serves such a key (ReadCaching), so a list of drafts is never one shared.
    /// </summary>
    public static string? ReviewCondition(string[]? given, bool seesDrafts, string records, SqlDialect dialect, Dictionary<string, object?> parameters, FieldErrors errors)
    {
        var states = ReviewState.ParseList(RecordLists.Split(ReviewState.Name, given, errors), errors);
        if (states is not { Count: > 0 }) return $"r.review_state = '{ReviewStates.Published}'";
        if (!seesDrafts && states.Any(state => state != ReviewStates.Published))
        {
            errors.Add(ReviewState.Name, $"Only published {records} are public: review_state=draft or rejected needs the key of an editor, reviewer or admin.");
            return null;
        }
        parameters["review_states"] = states.ToArray();
        return dialect.In("r.review_state", "review_states");
    }

    /// <summary>The <c>limit</c> parameter, as the donations' list takes it.</summary>
    public static IntegerParameter Limit => new("limit", DonationQueryParser.DefaultLimit, 1, DonationQueryParser.MaxLimit);

    /// <summary>
    /// The page that <paramref name="where"/> (over <c>r</c>, starting with WHERE) and its parameters select, in the
    /// order and from the position asked; null, with errors naming sort, limit or cursor, when any is wrong.
    /// </summary>
    public async Task<(RecordPageQuery Page, DonationSort Sort)?> ParseAsync(
        string where, IReadOnlyDictionary<string, object?> parameters, string? sort, int? limit, string? cursor, PageCursor cursors, FieldErrors errors, CancellationToken cancellationToken)
    {
        var take = Limit.Parse(limit, errors);
        var order = ParseSort(sort, errors);
        (string, IReadOnlyDictionary<string, object?>)? after = null;
        if (cursor is not null && order is not null)
        {
            var position = await cursors.DecodeAsync(cursor, cancellationToken);
            var values = position is null ? null
                : RecordPositions.PositionOf(position.Values, [.. order.Keys.Select(k => (k.Column.Nullable, k.Column.IsInteger))]);
            if (position is null) errors.Add("cursor", "The cursor is malformed or has been altered. Use the 'next' link of a previous page as it was given.");
            else if (position.Sort != order.Spec) errors.Add("cursor", $"The cursor was made for sort '{position.Sort}', not '{order.Spec}'. Keep the sort of the first page.");
            else if (values is null) errors.Add("cursor", "The cursor does not fit this list's sort.");
            else after = order.After(values);
        }
        if (errors.Any) return null;
        return (new RecordPageQuery(where, parameters, order!.OrderBy, [.. order.Keys.Select(k => k.Column.Sql)], after, take!.Value), order);
    }

    /// <summary>The link to the page after this one, or null on the last page.</summary>
    public static async Task<string?> NextAsync(DonationSort sort, IReadOnlyList<object?>? after, PageCursor cursors, HttpRequest request, CancellationToken cancellationToken) =>
        after is null ? null : Links.WithQueryValue(request, "cursor", await cursors.EncodeAsync(sort.Spec, after, cancellationToken));

    private DonationSort? ParseSort(string? sort, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(sort)) return new DonationSort([new SortKey(_columns["id"], false)]);
        var terms = Sort.Keys.Parse(sort, message => errors.Add("sort", message));
        if (errors.Any) return null;
        var keys = terms.ConvertAll(term => new SortKey(_columns[term.Name], term.Descending));
        // As on donations: the tiebreak runs the way the last key does.
        if (keys[^1].Column.Name != "id") keys.Add(new SortKey(_columns["id"], keys[^1].Descending));
        return new DonationSort(keys);
    }
}
