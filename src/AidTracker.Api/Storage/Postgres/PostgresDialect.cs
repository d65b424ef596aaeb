using System.Data.Common;
using System.Text;
using Npgsql;

namespace AidTracker.Api.Storage.Postgres;

/// <summary>PostgreSQL's SQL where it differs from SQLite's (<see cref="SqlDialect"/>).</summary>
public sealed class PostgresDialect : SqlDialect
{
    /// <summary>The one instance: a dialect holds no state, and what is cached per dialect (<c>DonationJson.Object</c>) is cached once.</summary>
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect() { }

    public override string OrderedJoin => "JOIN";

    public override string Inlined => " NOT MATERIALIZED";

    public override string InStorageOrder => "";
    public override string Schema => "public";

    // Text put together rather than json_build_object, whose output has spaces around every colon: so a row's JSON
    // (lists, NDJSON exports) is byte for byte what SQLite writes.
    public override string JsonObject(IEnumerable<JsonField> fields) =>
        "('{' || " + string.Join(" || ',' || ", fields.Select(f =>
            $"'\"{f.Name}\":' || coalesce({(f.IsJson ? f.Sql : $"to_json({f.Sql})::text")}, 'null')")) + " || '}')";

    public override string JsonArray(string element, string from, string orderBy) =>
        $"(SELECT '[' || coalesce(string_agg({element}, ',' ORDER BY {orderBy}), '') || ']' {from})";

    public override string DecimalText(string minor, int decimals) => decimals == 0
        ? $"CAST({minor} AS TEXT)"
        : $"(({minor}) / {Scale(decimals)})::text || '.' || lpad((({minor}) % {Scale(decimals)})::text, {decimals}, '0')";

    public override string SearchDriven => "donation_search f JOIN donations d ON d.id = f.id";
    public override string SearchId => "f.id";
    public override string SearchIndexInsert => "INSERT INTO donation_search (id, document) SELECT d.id, donation_document(weapon_search_text(w.name, w.aliases), donation_evidence_text(d.id), d.notes)";

    // The query is folded by the server as donation_document folds the text (unaccent, then the simple
    // configuration's lower case), not here: the service runs with invariant globalization, where .NET cannot strip
    // accents, so a C# fold left "jâvelin" unmatched.
    private const string Query = "to_tsquery('simple', unaccent(@text_query))";

    public override string SearchMatch(bool joined) => joined
        ? $"f.document @@ {Query}"
        : $"d.id IN (SELECT id FROM donation_search WHERE document @@ {Query})";

    // tsquery: the words of a phrase follow each other (<->), a prefix ends in :*, terms are joined by &. The words
    // are letters and digits only (TextSearch keeps nothing else), so quoting them is enough.
    public override string SearchQuery(IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms) =>
        string.Join(" & ", terms.Select(t =>
            "(" + string.Join(" <-> ", t.Words.Select((w, i) => $"'{w}'{(t.Prefix && i == t.Words.Count - 1 ? ":*" : "")}")) + ")"));

    public override string In(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override string Folded(string text) => $"lower(unaccent({text}))";

    public override string ContinueIdentity(string table) =>
        $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}";

    public override byte[] Utf8(DbDataReader reader, int column) => Encoding.UTF8.GetBytes(reader.GetString(column));

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsCancelled(Exception e) =>
        e is OperationCanceledException { InnerException: PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } }
        or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };
}
