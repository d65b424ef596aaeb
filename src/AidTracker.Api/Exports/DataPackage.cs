using System.ComponentModel;
using System.Text.Json.Serialization;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Exports;

/// <summary>
/// A Frictionless Data Package descriptor (datapackage.json) of the CSV exports, valid for Data Package v1 and v2: one
/// tabular resource per <see cref="ExportTable"/>, its table schema made from the table's declaration, so that it says
/// exactly what the CSV export writes. A release's resources also carry the bytes and SHA-256 of their files.
/// </summary>
public sealed record DataPackageDescriptor(
    [property: JsonPropertyName("name"), Description("aidtracker, or aidtracker-release-{id} (lower case) for a release.")] string Name,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("resources")] IReadOnlyList<DataPackageResource> Resources);

public sealed record DataPackageResource(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path"), Description("The file's name, as the CSV export of the same query names it after {table}: {table}.csv beside datapackage.json.")] string Path,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("mediatype")] string Mediatype,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("dialect")] DataPackageDialect Dialect,
    [property: JsonPropertyName("schema")] DataPackageSchema Schema,
    [property: JsonPropertyName("hash"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("sha256:{hex} of the file; only for a release.")] string? Hash,
    [property: JsonPropertyName("bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The file's length; only for a release.")] long? Bytes);

/// <summary>The CSV dialect of the exports: RFC 4180 with CRLF line ends and a header row.</summary>
public sealed record DataPackageDialect(
    [property: JsonPropertyName("delimiter")] string Delimiter,
    [property: JsonPropertyName("lineTerminator")] string LineTerminator,
    [property: JsonPropertyName("quoteChar")] string QuoteChar,
    [property: JsonPropertyName("doubleQuote")] bool DoubleQuote,
    [property: JsonPropertyName("header")] bool Header);

public sealed record DataPackageSchema(
    [property: JsonPropertyName("fields")] IReadOnlyList<DataPackageField> Fields,
    [property: JsonPropertyName("missingValues"), Description("An empty cell is null.")] IReadOnlyList<string> MissingValues,
    [property: JsonPropertyName("primaryKey")] IReadOnlyList<string> PrimaryKey,
    [property: JsonPropertyName("foreignKeys")] IReadOnlyList<DataPackageForeignKey> ForeignKeys);

public sealed record DataPackageField(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type"), Description("string, integer, number, boolean, date or datetime.")] string Type,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("constraints")] DataPackageConstraints Constraints);

public sealed record DataPackageConstraints(
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("enum"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Enum,
    [property: JsonPropertyName("pattern"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Pattern);

public sealed record DataPackageForeignKey(
    [property: JsonPropertyName("fields")] IReadOnlyList<string> Fields,
    [property: JsonPropertyName("reference")] DataPackageReference Reference);

public sealed record DataPackageReference(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("fields")] IReadOnlyList<string> Fields);

/// <summary>Builds the descriptor from the declared tables.</summary>
public static class DataPackages
{
    /// <summary>What the CSV export does to a text cell a spreadsheet would run as a formula; said in each free-text field's description.</summary>
    public const string FormulaNote = "In the CSV, a text that a spreadsheet would run as a formula (starting with = + - @ or their fullwidth forms, after any blanks or invisible characters, or with a tab or carriage return) is written with a single quote (') before it; strip that one quote to get the value.";

    /// <summary>The descriptor of <paramref name="tables"/> as the CSV export of <paramref name="filter"/> writes them; with the files' digests, by table name, for a release.</summary>
    public static DataPackageDescriptor Describe(IReadOnlyList<ExportTable> tables, DonationFilter filter, IReadOnlyDictionary<string, TableExport.CsvDigest>? digests)
    {
        var moment = filter.Release is { } release ? $" as of release {release}" : filter.AsOf is { } asOf ? $" as of {asOf}" : "";
        var slice = filter.IsSlice ? " The files are those of the same query's filters." : "";
        return new DataPackageDescriptor(
            filter.Release is null ? "aidtracker" : $"aidtracker-release-{filter.Release.ToLowerInvariant()}",
            "AidTracker: military aid",
            $"The CSV exports of AidTracker{moment}: GET /api/v1/exports/{{resource}}.csv with the query of this descriptor gives each resource's file.{slice}",
            [.. tables.Select(table => Resource(table, digests?.GetValueOrDefault(table.Name)))]);
    }

    private static DataPackageResource Resource(ExportTable table, TableExport.CsvDigest? digest) => new(
        table.Name, $"{table.Name}.csv", table.Description, "csv", "text/csv", "utf-8",
        new DataPackageDialect(",", "\r\n", "\"", DoubleQuote: true, Header: true),
        new DataPackageSchema([.. table.Columns.Select(Field)], [""], table.PrimaryKey,
            [.. table.ForeignKeys.Select(key => new DataPackageForeignKey(key.Fields, new DataPackageReference(key.Table, key.References)))]),
        digest is null ? null : $"sha256:{digest.Sha256}", digest?.Bytes);

    private static DataPackageField Field(ExportColumn column)
    {
        var type = column.Type switch
        {
            ColumnType.Integer => "integer",
            ColumnType.Decimal => "number",
            ColumnType.Date => "date",
            ColumnType.Timestamp => "datetime",
            ColumnType.Boolean => "boolean",
            _ => "string",
        };
        var description = column.Meaning;
        if (column.Decimal is { Scale: var scale }) description += $" Written with up to {scale} decimals, a point and no grouping.";
        if (column.Unit is { } unit) description += $" Unit: {unit}.";
        if (column.Type == ColumnType.Timestamp) description += " UTC, ISO 8601 with a Z and the fraction of a second it has (up to 7 digits).";
        // A value from a fixed list or pattern never starts as a formula does: only free text can carry the quote.
        if (column.Type == ColumnType.Text && column.Enum is null && column.Pattern is null) description += " " + FormulaNote;
        return new DataPackageField(column.Name, type, column.Type == ColumnType.Timestamp ? "any" : "default", description,
            new DataPackageConstraints(!column.Nullable, column.Enum, column.Pattern));
    }
}
