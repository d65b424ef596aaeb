using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Exports;

/// <summary>
/// One exported column: its name (as in the JSON), its type, the SQL that writes its text over the joins of
/// <see cref="DonationRepository"/>, and what the codebook says of it.
/// </summary>
public sealed record ExportColumn(string Name, ColumnType Type, Func<SqlDialect, string> Sql, string Meaning, string? AllowedValues = null, string? Unit = null);

/// <summary>
/// The columns of every export, in order: the donation's fields on the wire (<see cref="DonationFields.Wire"/>). The
/// codebook, the CSV header and the Parquet schema are generated from this list, so they cannot drift.
/// </summary>
public static class ExportColumns
{
    public static readonly IReadOnlyList<ExportColumn> All = [.. DonationFields.Wire.Select(field =>
        new ExportColumn(field.Name, field.Type!.Value, field.Wire, field.Meaning, field.AllowedValues, field.Unit))];
}
