using AidTracker.Api.Donations;

namespace AidTracker.Api.Exports;

/// <summary>
/// Which declaration a release's export of a table is written from: a release promises its files byte for byte, so
/// one made before the table's columns changed is written in the columns it was made with (Releases/ says which).
/// </summary>
public interface IReleaseLayouts
{
    /// <summary><paramref name="table"/>, or the frozen declaration that the release <paramref name="filter"/> names was made with.</summary>
    Task<ExportTable> TableAsync(ExportTable table, DonationFilter filter, CancellationToken cancellationToken);
}
