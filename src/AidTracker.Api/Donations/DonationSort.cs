using AidTracker.Api.Common;
using AidTracker.Api.Http;

namespace AidTracker.Api.Donations;

/// <summary>One sortable column: its wire name, its SQL, whether it can be null, and whether it holds integers.</summary>
public sealed record SortColumn(string Name, string Sql, bool Nullable, bool IsInteger);

public sealed record SortKey(SortColumn Column, bool Descending);

/// <summary>
/// A list's order: the keys the client asked for, then <c>id</c> as the final tiebreak, so that every order is total
/// and keyset pagination never skips or repeats a row. Nulls sort last in either direction.
/// </summary>
public sealed record DonationSort(IReadOnlyList<SortKey> Keys)
{
    /// <summary>The sortable fields of <see cref="DonationFields"/>, in their sort positions.</summary>
    public static readonly IReadOnlyDictionary<string, SortColumn> Columns = DonationFields.All
        .Where(field => field.SortPosition is not null)
        .OrderBy(field => field.SortPosition)
        .Select(field => new SortColumn(field.Name, field.Sql, field.Nullable, field.StoredAsInteger))
        .ToDictionary(column => column.Name, StringComparer.OrdinalIgnoreCase);

    public static readonly DonationSort Default = new([new SortKey(Columns["id"], false)]);

    /// <summary>This order with <c>id</c> read from another column equal to it, such as the search index's rowid.</summary>
    public DonationSort WithIdFrom(string sql) => new(Keys
        .Select(key => key.Column.Name == "id" ? key with { Column = key.Column with { Sql = sql } } : key)
        .ToList());

    /// <summary>The normalised form, such as <c>-announced_on,donor,id</c>: what a cursor is bound to.</summary>
    public string Spec => string.Join(',', Keys.Select(key => (key.Descending ? "-" : "") + key.Column.Name));

    /// <summary>
    /// The ORDER BY terms. NULLS LAST, rather than a leading <c>column IS NULL</c> term, is the order SQLite's indexes
    /// hold for a descending key, so that a donor's newest page walks (donor, announced_on) and stops at its end
    /// (0.07 ms for 12,000 rows, against 8 ms to sort them).
    /// </summary>
    public string OrderBy => string.Join(", ", Keys.Select(key =>
        $"{key.Column.Sql} {(key.Descending ? "DESC" : "ASC")}{(key.Column.Nullable ? " NULLS LAST" : "")}"));

    private static readonly SortList SortKeys = new(Columns.Keys, unique: "id");

    /// <summary>The keys <see cref="Parse"/> takes, for the OpenAPI document.</summary>
    internal static readonly SortParameter Parameter = new("sort", SortKeys);

    /// <summary>Parses <c>sort=-announced_on,donor</c>. Returns null when there are errors (this parameter's or any before it).</summary>
    public static DonationSort? Parse(string? sort, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(sort)) return Default;
        var terms = SortKeys.Parse(sort, message => errors.Add("sort", message));
        if (errors.Any) return null;
        var keys = terms.ConvertAll(term => new SortKey(Columns[term.Name], term.Descending));
        // The tiebreak runs the way the last key does, so that one (key, id) index serves the order in either direction.
        if (keys[^1].Column.Name != "id") keys.Add(new SortKey(Columns["id"], keys[^1].Descending));
        return new DonationSort(keys);
    }

    /// <summary>
    /// The SQL that selects the rows after <paramref name="position"/> in this order, with parameters @p0, @p1, …
    /// One row-value comparison when every key runs one way and none can be null (an index serves it directly),
    /// otherwise the lexicographic OR-chain, with nulls last.
    /// </summary>
    public (string Sql, Dictionary<string, object?> Parameters) After(IReadOnlyList<object?> position)
    {
        var parameters = Keys.Select((key, i) => (Name: $"p{i}", Value: position[i])).ToDictionary(p => p.Name, p => p.Value);
        if (Keys.All(key => !key.Column.Nullable) && Keys.Select(key => key.Descending).Distinct().Count() == 1)
        {
            var columns = string.Join(", ", Keys.Select(key => key.Column.Sql));
            var values = string.Join(", ", parameters.Keys.Select(name => "@" + name));
            return ($"({columns}) {(Keys[0].Descending ? "<" : ">")} ({values})", parameters);
        }

        var alternatives = new List<string>();
        var equalities = new List<string>();
        for (var i = 0; i < Keys.Count; i++)
        {
            var (column, descending) = (Keys[i].Column, Keys[i].Descending);
            var value = position[i];
            var comparison = descending ? "<" : ">";
            string? after = value is null
                ? null
                : column.Nullable ? $"({column.Sql} {comparison} @p{i} OR {column.Sql} IS NULL)" : $"{column.Sql} {comparison} @p{i}";
            if (after is not null) alternatives.Add(string.Join(" AND ", equalities.Append(after)));
            equalities.Add(value is null ? $"{column.Sql} IS NULL" : $"{column.Sql} = @p{i}");
        }
        return ($"({string.Join(" OR ", alternatives.Select(a => $"({a})"))})", parameters);
    }

}
