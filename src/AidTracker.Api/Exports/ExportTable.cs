using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Exports;

/// <summary>
/// One exported column: its wire name (CSV header, JSON, Parquet, codebook, data package), its type, the SQL that
/// writes its wire text over the table's <see cref="ExportTable.From"/>, and what the codebook and the data package say
/// of it.
/// </summary>
public sealed record ExportColumn(string Name, ColumnType Type, Func<SqlDialect, string> Sql, string Meaning, string? AllowedValues = null, string? Unit = null)
{
    /// <summary>Whether a row may leave it empty (null: an empty CSV cell, a JSON null).</summary>
    public bool Nullable { get; init; }

    /// <summary>The only values it takes (its wire names), when it is an enumeration.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A regular expression every value matches, such as <see cref="PartialDate.Pattern"/> for a partial date (type Text).</summary>
    public string? Pattern { get; init; }

    /// <summary>A decimal's digits in all and after the point, as Parquet's DECIMAL(precision, scale) and the CSV write it.</summary>
    public (int Precision, int Scale)? Decimal { get; init; }

    /// <summary><see cref="Decimal"/> of a decimal column, which must declare it.</summary>
    public (int Precision, int Scale) DecimalDigits => Decimal
        ?? throw new InvalidOperationException($"The decimal column {Name} must declare its digits (ExportColumn.Decimal).");

    /// <summary>The SQL wire text is JSON already (a decimal or a boolean written as text), not a value to encode.</summary>
    public bool SqlIsJson => Type is ColumnType.Decimal or ColumnType.Boolean;
}

/// <summary>
/// A foreign key: <see cref="Fields"/> of this table name a row of <see cref="Table"/> by its <see cref="References"/>
/// (that table's primary key, or this table's own when Table is its name).
/// </summary>
public sealed record ExportForeignKey(IReadOnlyList<string> Fields, string Table, IReadOnlyList<string> References);

/// <summary>
/// One exported table, declared once: the CSV, NDJSON and Parquet files (GET /api/v1/exports/{Name}.{csv,ndjson,parquet}),
/// the codebook and the data package's resource all derive from it. <see cref="ExportTables.All"/> lists the tables;
/// its routes are registered from that list.
/// </summary>
public sealed record ExportTable
{
    /// <summary>The table's name: its routes and files (donations.csv), the data package resource's name. Lower case, '_'.</summary>
    public required string Name { get; init; }

    /// <summary>What one row is, in the singular (donation): the endpoints' and the data package's descriptions say it.</summary>
    public required string Row { get; init; }

    /// <summary>A sentence on what the table holds and how it is selected, for the data package resource.</summary>
    public required string Description { get; init; }

    /// <summary>The columns, in file order.</summary>
    public required IReadOnlyList<ExportColumn> Columns { get; init; }

    /// <summary>The columns that name a row; the rows come in this order (<see cref="OrderBy"/> sorts by their SQL).</summary>
    public required IReadOnlyList<string> PrimaryKey { get; init; }

    public IReadOnlyList<ExportForeignKey> ForeignKeys { get; init; } = [];

    /// <summary>
    /// Everything after the SELECT list but the order: FROM, joins and WHERE, given <paramref name="donations"/>, the
    /// WHERE clause of the request's <see cref="DonationFilter"/> over <c>donations d</c> and the joins of
    /// <see cref="DonationRepository.Joins"/> (live rows and the filters; its parameters are bound). A table of a
    /// donation's parts joins <c>d</c> and its joins and uses it, so that a filter narrows it as it narrows the
    /// donations; a table of its own ignores it and keeps its live rows itself. The query runs after
    /// <see cref="DonationFilter.With"/>, so that unqualified table names read the past for as_of and release.
    /// </summary>
    public required Func<SqlDialect, string, string> From { get; init; }

    /// <summary>The SQL that orders the rows by <see cref="PrimaryKey"/>, over <see cref="From"/>: <c>d.id</c>.</summary>
    public required string OrderBy { get; init; }

    /// <summary>
    /// The WITH clause that reads the past for as_of and release, when it is not <see cref="DonationFilter.With"/>: a
    /// frozen declaration of a release's columns (Releases/LegacyDonationColumns) reads columns that only history keeps.
    /// </summary>
    public Func<SqlDialect, string>? AsOfWith { get; init; }

    /// <summary>
    /// The NDJSON line's object in SQL, for the present or (true) for the past, where what a row keeps of its parts
    /// must be built from history; by default an object of <see cref="Columns"/>, in order.
    /// </summary>
    public Func<SqlDialect, bool, string>? JsonObject { get; init; }

    /// <summary>The NDJSON object in SQL, as declared or made of the columns.</summary>
    public string Json(SqlDialect dialect, bool past) => JsonObject?.Invoke(dialect, past)
        ?? dialect.JsonObject(Columns.Select(column => new JsonField(column.Name, column.Sql(dialect), column.SqlIsJson)));

    /// <summary>The CSV header, as the CSV export writes it.</summary>
    public string CsvHeader => string.Join(',', Columns.Select(c => c.Name));
}
