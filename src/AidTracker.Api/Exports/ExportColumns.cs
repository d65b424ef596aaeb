namespace AidTracker.Api.Exports;

/// <summary>
/// The columns of the donations export, in order (<see cref="ExportTables.Donations"/>): the codebook, the CSV header
/// and the Parquet schema are generated from this list, so they cannot drift.
/// </summary>
public static class ExportColumns
{
    public static IReadOnlyList<ExportColumn> All => ExportTables.Donations.Columns;
}
