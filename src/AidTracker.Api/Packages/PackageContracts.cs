using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Packages;

public enum PackageInstrument { StockpileDrawdown, Procurement, EuPeaceFacility, Loan, RingExchange, Other }

/// <summary>
/// The body of <c>POST /packages</c> and <c>PUT /packages/{id}</c>. Every field is nullable here so that the
/// validator, not the JSON reader, reports a missing field by name.
/// </summary>
public sealed record PackageRequest(
    [property: Required] string? Donor,
    [property: Required] string? Title,
    [property: Required] PackageInstrument? Instrument,
    [property: Description("When it was announced, as precisely as known: yyyy, yyyy-MM or yyyy-MM-dd; null when unknown.")] string? AnnouncedOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    string? Notes);

public sealed record PackageResponse(
    long Id,
    string Donor,
    string Title,
    PackageInstrument Instrument,
    [property: Description("yyyy, yyyy-MM or yyyy-MM-dd: as precisely as known; null when unknown.")] string? AnnouncedOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    /// <summary>A link rather than a list, so that a package of hundreds of line items keeps a bounded response.</summary>
    [Description("The package's line items (the live donations naming it): a link to the filtered list, which pages.")]
    public string LineItems => $"/api/v1/donations?package={Id}";
}

/// <summary>A page of packages. <c>next</c> is absent on the last page.</summary>
public sealed record PackagePage(
    IReadOnlyList<PackageResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>One version of a package: the whole record as it stood after the change.</summary>
public sealed record PackageHistoryEntry(
    long Version,
    ChangeOperation Operation,
    DateTime ChangedAt,
    string ChangedBy,
    string? RequestId,
    [property: Description("Where this version stood in review: draft (waiting for a reviewer), published (public) or rejected.")] string ReviewState,
    [property: Description("What the reviewer said when publishing or rejecting it; null before any review.")] string? ReviewComment,
    PackageResponse Record);

public sealed record PackageHistory(long PackageId, IReadOnlyList<PackageHistoryEntry> Items);
