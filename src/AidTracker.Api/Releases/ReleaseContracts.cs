using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using AidTracker.Api.Common;

namespace AidTracker.Api.Releases;

/// <summary>The body of <c>POST /releases</c>.</summary>
public sealed record ReleaseRequest(
    [property: Required, Description("The release's id, cited in papers: letters, digits, '.', '_' and '-', up to 64, such as 2026-11 or v1.0.")] string? Id,
    [property: Required, Description("A title, up to 200 characters.")] string? Title,
    [property: Description("What changed since the last release, up to 4,000 characters.")] string? Notes);

/// <summary>A frozen moment of the dataset, with what its canonical CSV export holds.</summary>
public sealed record ReleaseResponse(
    string Id,
    string Title,
    string? Notes,
    [property: Description("The moment the release freezes: its reads and exports answer as of it.")] DateTime AsOf,
    [property: Description("Donations in the release (live at as_of).")] long RowCount,
    [property: Description("SHA-256, lower-case hex, of the CSV export of the whole release: GET /exports/donations.csv?release={id}. Also sent in that export's Repr-Digest header.")] string CsvSha256,
    DateTime CreatedAt,
    [property: Description("The name of the admin key that made the release.")] string CreatedBy,
    ReleaseLinks Links);

public sealed record ReleaseLinks(
    string Csv,
    string Ndjson,
    string Parquet,
    string Codebook,
    [property: Description("The Frictionless Data Package descriptor of the release's CSV exports, with each file's bytes and SHA-256.")] string DataPackage);

public sealed record ReleaseList(IReadOnlyList<ReleaseResponse> Items);

public sealed class ReleaseRow
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Notes { get; set; }
    public string AsOf { get; set; } = "";
    public long RowCount { get; set; }
    public string CsvSha256 { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string CreatedBy { get; set; } = "";

    /// <summary>The layout of its exports: 1 made before migration 0015 (<see cref="LegacyDonationColumns"/>), 2 after.</summary>
    public long Format { get; set; }

    public ReleaseResponse ToResponse()
    {
        var query = $"?release={Uri.EscapeDataString(Id)}";
        return new ReleaseResponse(Id, Title, Notes, Timestamps.Parse(AsOf), RowCount, CsvSha256, Timestamps.Parse(CreatedAt), CreatedBy,
            new ReleaseLinks($"/api/v1/exports/donations.csv{query}", $"/api/v1/exports/donations.ndjson{query}",
                $"/api/v1/exports/donations.parquet{query}", "/api/v1/codebook", $"/api/v1/exports/datapackage.json{query}"));
    }
}
