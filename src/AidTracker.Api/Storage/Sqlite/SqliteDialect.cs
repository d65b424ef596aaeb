using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Storage.Sqlite;

/// <summary>SQLite's SQL where it differs from PostgreSQL's (<see cref="SqlDialect"/>).</summary>
public sealed class SqliteDialect : SqlDialect
{
    /// <summary>The one instance: a dialect holds no state, and what is cached per dialect (<c>DonationJson.Object</c>) is cached once.</summary>
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect() { }

    public override string OrderedJoin => "CROSS JOIN";

    public override string Inlined => "";

    public override string InStorageOrder => " NOT INDEXED";
    public override string Schema => "main";

    /// <summary>
    /// <c>json_object</c>, which parses a value that is JSON text already (<c>json(…)</c>) to embed it: 2.7 µs for a
    /// donation's kept children, about a sixth of a list page. Trailing JSON fields (the children, an evidence's
    /// supports) are spliced in as text after the object's other fields instead; their SQL is this code's own JSON.
    /// </summary>
    public override string JsonObject(IEnumerable<JsonField> fields)
    {
        var list = fields.ToList();
        var spliced = list.Count - list.FindLastIndex(f => !f.IsJson) - 1;
        if (spliced == 0 || spliced == list.Count) return Parsed(list);
        // The last field before them is not JSON text, so its value ends in a quote, a digit or a letter: rtrim takes the brace alone.
        return $"(rtrim({Parsed(list.SkipLast(spliced))}, '}}') || {string.Join(" || ", list.TakeLast(spliced).Select(f => $"',\"{f.Name}\":' || coalesce({f.Sql}, 'null')"))} || '}}')";

        static string Parsed(IEnumerable<JsonField> fields) =>
            $"json_object({string.Join(", ", fields.Select(f => $"'{f.Name}', {(f.IsJson ? $"json({f.Sql})" : f.Sql)}"))})";
    }

    public override string JsonArray(string element, string from, string orderBy) =>
        $"(SELECT '[' || coalesce(group_concat({element}, ',' ORDER BY {orderBy}), '') || ']' {from})";

    public override string DecimalText(string minor, int decimals) => decimals == 0
        ? $"CAST({minor} AS TEXT)"
        : $"iif({minor} IS NULL, NULL, printf('%d.%0{decimals}d', {minor} / {Scale(decimals)}, {minor} % {Scale(decimals)}))";

    public override string SearchDriven => "donations_fts f CROSS JOIN donations d ON d.id = f.rowid";
    public override string SearchId => "f.rowid";
    public override string SearchIndexInsert => "INSERT INTO donations_fts (rowid, weapon_name, source, notes) SELECT d.id, " +
        "concat_ws(' ', w.name, (SELECT group_concat(value, ' ') FROM json_each(w.aliases))), " +
        "(SELECT group_concat(concat_ws(' ', e.quote, s.title, s.citation), ' ') FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = d.id), d.notes";

    public override string SearchMatch(bool joined) => joined
        ? "f.donations_fts MATCH @text_query"
        : "d.id IN (SELECT rowid FROM donations_fts WHERE donations_fts MATCH @text_query)";

    // FTS5: each term a quoted phrase, a trailing * for a prefix; terms side by side must all match.
    public override string SearchQuery(IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms) =>
        string.Join(' ', terms.Select(t => $"\"{string.Join(' ', t.Words)}\"{(t.Prefix ? " *" : "")}"));

    public override string In(string column, string parameter) => $"{column} IN @{parameter}";

    public override string Folded(string text) => $"{SqliteFold.Function}({text})";

    public override string ContinueIdentity(string table) => "";

    // SQLite hands text over as its stored UTF-8: no string in between.
    public override byte[] Utf8(DbDataReader reader, int column) => reader.GetFieldValue<byte[]>(column);

    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteInterrupt = 9;

    public override bool IsUniqueViolation(DbException e) =>
        e is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };

    public override bool IsCancelled(Exception e) => e is SqliteException { SqliteErrorCode: SqliteInterrupt };
}
