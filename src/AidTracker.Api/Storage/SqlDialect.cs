using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AidTracker.Api.Storage;

/// <summary>One field of a JSON object built in SQL: its name, its SQL, and whether that SQL is JSON text already.</summary>
public sealed record JsonField(string Name, string Sql, bool IsJson = false);

/// <summary>
/// Where SQLite and PostgreSQL differ, and only that. The repositories write one SQL text each and take the few
/// fragments that differ from here: a join whose order must hold, JSON built in SQL, decimal text, full-text search,
/// the schema of the live tables, and which errors mean what.
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    /// <summary>
    /// A join that keeps the table before it as the outer loop. SQLite's planner takes <c>CROSS JOIN</c> as that
    /// order; PostgreSQL plans on its statistics and has no such hint.
    /// </summary>
    public abstract string OrderedJoin { get; }

    /// <summary>After a table name: read it in its storage order (SQLite's <c>NOT INDEXED</c>); nothing elsewhere.</summary>
    public abstract string InStorageOrder { get; }

    /// <summary>The schema that holds the tables, for a name that a common table expression shadows.</summary>
    public abstract string Schema { get; }

    /// <summary>A JSON object, compact, with the fields in this order: the same bytes on both engines.</summary>
    public abstract string JsonObject(IEnumerable<JsonField> fields);

    /// <summary>An integer of minor units as decimal text with <paramref name="decimals"/> decimals (1250 → 12.50); NULL stays NULL.</summary>
    public abstract string DecimalText(string minor, int decimals);

    /// <summary>The search index joined as <c>f</c> before <c>donations d</c>, for reads that the search drives.</summary>
    public abstract string SearchDriven { get; }

    /// <summary>The donation id in the search index <c>f</c>.</summary>
    public abstract string SearchId { get; }

    /// <summary>The start of an INSERT into the search index of donations <c>d</c> joined to weapon systems <c>w</c>; the caller adds FROM.</summary>
    public abstract string SearchIndexInsert { get; }

    /// <summary>The condition that <c>d</c> matches <c>@text_query</c>, with <c>f</c> joined or not.</summary>
    public abstract string SearchMatch(bool joined);

    /// <summary>The engine's query for these terms (each a run of words, and whether its last word is a prefix): all must match.</summary>
    public abstract string SearchQuery(IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms);

    /// <summary>
    /// <paramref name="column"/> is one of the list parameter <paramref name="parameter"/>. Dapper expands a list into
    /// one parameter per item for SQLite, and passes it to PostgreSQL whole, as an array.
    /// </summary>
    public abstract string In(string column, string parameter);

    /// <summary>After ids were written explicitly into <paramref name="table"/>: what makes the next id follow them; empty where the engine does so itself.</summary>
    public abstract string ContinueIdentity(string table);

    /// <summary>A text column's UTF-8 bytes.</summary>
    public abstract byte[] Utf8(DbDataReader reader, int column);

    /// <summary>A primary-key or unique constraint refused the write.</summary>
    public abstract bool IsUniqueViolation(DbException e);

    /// <summary>The engine stopped a statement because its request was cancelled.</summary>
    public abstract bool IsCancelled(Exception e);

    private sealed class SqliteDialect : SqlDialect
    {
        public override string OrderedJoin => "CROSS JOIN";
        public override string InStorageOrder => " NOT INDEXED";
        public override string Schema => "main";

        public override string JsonObject(IEnumerable<JsonField> fields) =>
            $"json_object({string.Join(", ", fields.Select(f => $"'{f.Name}', {(f.IsJson ? $"json({f.Sql})" : f.Sql)}"))})";

        public override string DecimalText(string minor, int decimals) => decimals == 0
            ? $"CAST({minor} AS TEXT)"
            : $"iif({minor} IS NULL, NULL, printf('%d.%0{decimals}d', {minor} / {Scale(decimals)}, {minor} % {Scale(decimals)}))";

        public override string SearchDriven => "donations_fts f CROSS JOIN donations d ON d.id = f.rowid";
        public override string SearchId => "f.rowid";
        public override string SearchIndexInsert => "INSERT INTO donations_fts (rowid, weapon_name, source, notes) SELECT d.id, w.name, d.source, d.notes";

        public override string SearchMatch(bool joined) => joined
            ? "f.donations_fts MATCH @text_query"
            : "d.id IN (SELECT rowid FROM donations_fts WHERE donations_fts MATCH @text_query)";

        // FTS5: each term a quoted phrase, a trailing * for a prefix; terms side by side must all match.
        public override string SearchQuery(IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms) =>
            string.Join(' ', terms.Select(t => $"\"{string.Join(' ', t.Words)}\"{(t.Prefix ? " *" : "")}"));

        public override string In(string column, string parameter) => $"{column} IN @{parameter}";

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

    private sealed class PostgresDialect : SqlDialect
    {
        public override string OrderedJoin => "JOIN";
        public override string InStorageOrder => "";
        public override string Schema => "public";

        // Text put together rather than json_build_object, whose output has spaces around every colon: so a row's JSON
        // (lists, NDJSON exports) is byte for byte what SQLite writes.
        public override string JsonObject(IEnumerable<JsonField> fields) =>
            "('{' || " + string.Join(" || ',' || ", fields.Select(f =>
                $"'\"{f.Name}\":' || coalesce({(f.IsJson ? f.Sql : $"to_json({f.Sql})::text")}, 'null')")) + " || '}')";

        public override string DecimalText(string minor, int decimals) => decimals == 0
            ? $"CAST({minor} AS TEXT)"
            : $"(({minor}) / {Scale(decimals)})::text || '.' || lpad((({minor}) % {Scale(decimals)})::text, {decimals}, '0')";

        public override string SearchDriven => "donation_search f JOIN donations d ON d.id = f.id";
        public override string SearchId => "f.id";
        public override string SearchIndexInsert => "INSERT INTO donation_search (id, document) SELECT d.id, donation_document(w.name, d.source, d.notes)";

        public override string SearchMatch(bool joined) => joined
            ? "f.document @@ @text_query::tsquery"
            : "d.id IN (SELECT id FROM donation_search WHERE document @@ @text_query::tsquery)";

        // tsquery: the words of a phrase follow each other (<->), a prefix ends in :*, terms are joined by &. The words
        // are letters and digits only (TextSearch keeps nothing else), lower-cased and without accents as the index is.
        public override string SearchQuery(IReadOnlyList<(IReadOnlyList<string> Words, bool Prefix)> terms) =>
            string.Join(" & ", terms.Select(t =>
                "(" + string.Join(" <-> ", t.Words.Select((w, i) => $"'{Fold(w)}'{(t.Prefix && i == t.Words.Count - 1 ? ":*" : "")}")) + ")"));

        /// <summary>Lower case without diacritics, as unaccent and the simple configuration index the text.</summary>
        private static string Fold(string word)
        {
            var folded = new StringBuilder(word.Length);
            foreach (var c in word.Normalize(NormalizationForm.FormD))
            {
                if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) folded.Append(c);
            }
            return folded.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
        }

        public override string In(string column, string parameter) => $"{column} = ANY(@{parameter})";

        public override string ContinueIdentity(string table) =>
            $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}";

        public override byte[] Utf8(DbDataReader reader, int column) => Encoding.UTF8.GetBytes(reader.GetString(column));

        public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

        public override bool IsCancelled(Exception e) =>
            e is OperationCanceledException { InnerException: PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } }
            or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };
    }

    private static long Scale(int decimals) => (long)Math.Pow(10, decimals);
}
