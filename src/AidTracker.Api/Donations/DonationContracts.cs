using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Http;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

public enum DonationStatus { Announced, Committed, Delivered, Cancelled }

public enum QuantityQualifier { Exact, AtLeast, Approximate, Undisclosed }

public enum Funding { Stockpile, Procurement, Unspecified }

public enum ChangeOperation { Create, Update, Delete }

/// <summary>
/// The body of <c>POST /donations</c> and <c>PUT /donations/{id}</c>. Every field is nullable here so that the
/// validator, not the JSON reader, reports a missing field by name.
/// </summary>
public sealed record DonationRequest(
    [property: Required] string? Donor,
    [property: Required] string? Recipient,
    [property: Required] string? WeaponSystem,
    long? Quantity,
    QuantityQualifier? QuantityQualifier,
    [property: Required] DonationStatus? Status,
    [property: Required] DateOnly? AnnouncedOn,
    DateOnly? DeliveredOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    decimal? ValueEur,
    bool? ValueIsEstimate,
    Funding? Funding,
    [property: Required] string? Source,
    string? SourceUrl,
    string? Notes);

public sealed record DonationResponse(
    long Id,
    string Donor,
    string DonorName,
    string Recipient,
    string RecipientName,
    string WeaponSystem,
    string WeaponSystemName,
    [property: ComponentSchema(WeaponCategories.SchemaId)] string Category,
    long? Quantity,
    QuantityQualifier QuantityQualifier,
    DonationStatus Status,
    DateOnly AnnouncedOn,
    DateOnly? DeliveredOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    decimal? ValueEur,
    bool ValueIsEstimate,
    Funding Funding,
    string Source,
    string? SourceUrl,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version);

/// <summary>A page of donations. <c>next</c> is absent on the last page.</summary>
public sealed record DonationPage(
    IReadOnlyList<DonationResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>One version of a donation: the whole record as it stood after the change.</summary>
public sealed record DonationHistoryEntry(
    long Version,
    ChangeOperation Operation,
    DateTime ChangedAt,
    string ChangedBy,
    string? RequestId,
    [property: Description("The CSV import (GET /api/v1/imports/{id}) that made this change; null for other changes.")] long? ImportId,
    DonationResponse Record);

public sealed record DonationHistory(long DonationId, IReadOnlyList<DonationHistoryEntry> Items);
