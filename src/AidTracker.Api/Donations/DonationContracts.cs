using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Api.Donations;

public enum DonationStatus { Announced, Committed, PartiallyDelivered, Delivered, Cancelled }

public enum QuantityQualifier { Exact, AtLeast, Approximate, Undisclosed }

/// <summary>What a stated value rests on.</summary>
public enum ValueBasis { Reported, BookValue, PriceList, Estimate }

/// <summary>How value_eur was reached: stated by the source or an editor, or converted at an ECB reference rate.</summary>
public enum ValueEurMethod { Reported, Converted }

/// <summary>What a piece of evidence supports.</summary>
public enum EvidenceSupport { Announcement, Commitment, Delivery, Quantity, Value }

public enum ChangeOperation { Create, Update, Delete }

/// <summary>A citation in a request: an existing source, the words that support the record, where they stand, a grade, and what they support.</summary>
public sealed record EvidenceRequest(
    [property: Required, Description("The id of the source (GET /api/v1/sources/{id}); it must exist and not be deleted.")] long? Source,
    [property: Description("The words of the source that support the record.")] string? Quote,
    [property: Description("Where in the source: a page, a paragraph.")] string? Locator,
    [property: Description("The Admiralty credibility grade, 1 (confirmed) to 6 (cannot be judged); null when not graded.")] int? Credibility,
    [property: Required, Description("What the quoted words support: one or more of announcement, commitment, delivery, quantity, value.")] IReadOnlyList<EvidenceSupport>? Supports);

/// <summary>An instalment in a request. A delivery that carries the id of one of the donation's deliveries keeps it (PUT).</summary>
public sealed record DeliveryRequest(
    [property: Description("The id of an existing delivery of this donation, to keep it; absent for a new one.")] long? Id,
    [property: Description("When it arrived: yyyy, yyyy-MM or yyyy-MM-dd, as precisely as the source says; null when unknown.")] string? DeliveredOn,
    long? Quantity,
    QuantityQualifier? QuantityQualifier,
    string? Notes,
    [property: Description("The evidence of this instalment (at least one).")] IReadOnlyList<EvidenceRequest>? Evidence);

/// <summary>The body of <c>POST /donations/{id}/deliveries</c>: one instalment with its evidence.</summary>
public sealed record NewDeliveryRequest(
    [property: Description("When it arrived: yyyy, yyyy-MM or yyyy-MM-dd, as precisely as the source says; null when unknown.")] string? DeliveredOn,
    long? Quantity,
    QuantityQualifier? QuantityQualifier,
    string? Notes,
    [property: Required, Description("The evidence of this instalment (at least one).")] IReadOnlyList<EvidenceRequest>? Evidence,
    [property: Description("The donation's status afterwards: partially_delivered (the default) or delivered.")] DonationStatus? Status);

/// <summary>
/// The body of <c>POST /donations</c> and <c>PUT /donations/{id}</c>. Every field is nullable here so that the
/// validator, not the JSON reader, reports a missing field by name.
/// </summary>
public sealed record DonationRequest(
    [property: Required] string? Donor,
    [property: Required] string? Recipient,
    [property: Description("The country that pays, where another sends (ring exchanges, co-funding); must differ from the recipient.")] string? Funder,
    [property: Required] string? WeaponSystem,
    [property: Description("The id of the package (GET /api/v1/packages/{id}) this line item belongs to.")] long? Package,
    long? Quantity,
    QuantityQualifier? QuantityQualifier,
    [property: Required] DonationStatus? Status,
    [property: Description("When it was announced: yyyy, yyyy-MM or yyyy-MM-dd; null when unknown.")] string? AnnouncedOn,
    [property: Description("When it was decided, approved or contracted: yyyy, yyyy-MM or yyyy-MM-dd; null when unknown.")] string? CommittedOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    ValueBasis? ValueBasis,
    decimal? ValueEur,
    string? Notes,
    [property: Required, Description("The citations the record rests on: at least one.")] IReadOnlyList<EvidenceRequest>? Evidence,
    [property: Description("The instalments delivered so far; status is partially_delivered or delivered exactly when there is one.")] IReadOnlyList<DeliveryRequest>? Deliveries);

/// <summary>A citation as the API writes it.</summary>
public sealed record EvidenceResponse(
    long Id,
    [property: Description("The source's id.")] long Source,
    [property: Description("The source's title, else its citation, else its address: for display.")] string? SourceTitle,
    string? Quote,
    string? Locator,
    int? Credibility,
    IReadOnlyList<EvidenceSupport> Supports);

/// <summary>An instalment as the API writes it.</summary>
public sealed record DeliveryResponse(
    [property: Description("The delivery's id; null only in history, for an instalment recorded before deliveries had ids (migration 0015) that no longer exists.")] long? Id,
    [property: Description("yyyy, yyyy-MM or yyyy-MM-dd: as precisely as it is known.")] string? DeliveredOn,
    long? Quantity,
    QuantityQualifier QuantityQualifier,
    string? Notes,
    IReadOnlyList<EvidenceResponse> Evidence);

public sealed record DonationResponse(
    long Id,
    string Donor,
    string DonorName,
    string Recipient,
    string RecipientName,
    string? Funder,
    string WeaponSystem,
    string WeaponSystemName,
    [property: ComponentSchema(WeaponCategories.SchemaId)] string Category,
    long? Package,
    long? Quantity,
    QuantityQualifier QuantityQualifier,
    [property: Description("The sum of the exact and at-least delivered quantities; null when none is known.")] long? QuantityDelivered,
    DonationStatus Status,
    [property: Description("yyyy, yyyy-MM or yyyy-MM-dd: as precisely as it is known.")] string? AnnouncedOn,
    [property: Description("yyyy, yyyy-MM or yyyy-MM-dd: as precisely as it is known.")] string? CommittedOn,
    [property: Description("The earliest published_on of the sources its evidence cites.")] string? FirstReportedOn,
    decimal? ValueAmount,
    string? ValueCurrency,
    ValueBasis? ValueBasis,
    decimal? ValueEur,
    ValueEurMethod? ValueEurMethod,
    [property: Description("The ECB reference rate (units per euro) as the ECB wrote it, when converted.")] string? ValueEurRate,
    [property: Description("The date of that rate, when converted.")] DateOnly? ValueEurRateDate,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version,
    IReadOnlyList<DeliveryResponse> Deliveries,
    IReadOnlyList<EvidenceResponse> Evidence);

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
    [property: Description("Where this version stood in review: draft (waiting for a reviewer), published (public) or rejected.")] string ReviewState,
    [property: Description("What the reviewer said when publishing or rejecting it; null before any review.")] string? ReviewComment,
    DonationResponse Record);

public sealed record DonationHistory(long DonationId, IReadOnlyList<DonationHistoryEntry> Items);
