using System.Collections.Concurrent;
using System.Data.Common;

namespace AidTracker.Api.Storage;

/// <summary>One field of a JSON object built in SQL: its name, its SQL, and whether that SQL is JSON text already.</summary>
public sealed record JsonField(string Name, string Sql, bool IsJson = false);

/// <summary>SQL (or anything else) built from the dialect once per dialect, on first use.</summary>
public sealed class PerDialect<T>(Func<SqlDialect, T> build)
{
    private readonly ConcurrentDictionary<SqlDialect, T> _built = new();

    public T this[SqlDialect dialect] => _built.GetOrAdd(dialect, build);
}

/// <summary>
/// Where SQLite and PostgreSQL differ, and only that. The repositories write one SQL text each and take the few
/// fragments that differ from here: a join whose order must hold, JSON built in SQL, decimal text, full-text search,
/// the schema of the live tables, and which errors mean what. Each engine's fragments are in its own folder:
/// <see cref="Sqlite.SqliteDialect"/>, <see cref="Postgres.PostgresDialect"/>.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>
    /// A join that keeps the table before it as the outer loop. SQLite's planner takes <c>CROSS JOIN</c> as that
    /// order; PostgreSQL plans on its statistics and has no such hint.
    /// </summary>
    public abstract string OrderedJoin { get; }

    /// <summary>
    /// After a common table expression's name: read it where it is used, not once into a table. PostgreSQL otherwise
    /// materializes one used twice, and a query that reads a page of it then reads it all: the as-of donations of a
    /// 100,000-row release took over 300 s instead of 2.5. SQLite's as-of reads were measured as they are: nothing.
    /// </summary>
    public abstract string Inlined { get; }

    /// <summary>After a table name: read it in its storage order (SQLite's <c>NOT INDEXED</c>); nothing elsewhere.</summary>
    public abstract string InStorageOrder { get; }

    /// <summary>The schema that holds the tables, for a name that a common table expression shadows.</summary>
    public abstract string Schema { get; }

    /// <summary>A JSON object, compact, with the fields in this order: the same bytes on both engines.</summary>
    public abstract string JsonObject(IEnumerable<JsonField> fields);

    /// <summary>
    /// A JSON array of <paramref name="element"/> (JSON text) over the rows of <paramref name="from"/> (FROM … WHERE), in
    /// the order of <paramref name="orderBy"/>, compact, as a scalar subquery: <c>[]</c> when there are none.
    /// </summary>
    public abstract string JsonArray(string element, string from, string orderBy);

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

    /// <summary>Text in lower case and without accents, for a search that ignores both (<c>Folded(column) LIKE Folded(@pattern)</c>); NULL stays NULL.</summary>
    public abstract string Folded(string text);

    /// <summary>After ids were written explicitly into <paramref name="table"/>: what makes the next id follow them; empty where the engine does so itself.</summary>
    public abstract string ContinueIdentity(string table);

    /// <summary>A text column's UTF-8 bytes.</summary>
    public abstract byte[] Utf8(DbDataReader reader, int column);

    /// <summary>A primary-key or unique constraint refused the write.</summary>
    public abstract bool IsUniqueViolation(DbException e);

    /// <summary>The engine stopped a statement because its request was cancelled.</summary>
    public abstract bool IsCancelled(Exception e);

    /// <summary>10 to the power <paramref name="decimals"/>: the minor units in one major unit.</summary>
    protected static long Scale(int decimals) => (long)Math.Pow(10, decimals);
}
