using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Donations;

/// <summary>
/// The filter parameters that /donations, /stats/* and (later) /exports/* share, as bound from HTTP. Lists may be
/// comma-separated, repeated, or both. <see cref="DonationQueryParser"/> is the one place that turns them into a filter;
/// each description is the one its filter declares (<see cref="DonationFilters"/>).
/// </summary>
public sealed record DonationFilterQuery(
    [property: FromQuery(Name = "donor"), Description(DonationFilters.DonorDescription)]
    string[]? Donor,
    [property: FromQuery(Name = "recipient"), Description(DonationFilters.RecipientDescription)]
    string[]? Recipient,
    [property: FromQuery(Name = "funder"), Description(DonationFilters.FunderDescription)]
    string[]? Funder,
    [property: FromQuery(Name = "weapon_system"), Description(DonationFilters.WeaponSystemDescription)]
    string[]? WeaponSystem,
    [property: FromQuery(Name = "category"), Description(DonationFilters.CategoryDescription)]
    string[]? Category,
    [property: FromQuery(Name = "status"), Description(DonationFilters.StatusDescription)]
    string[]? Status,
    [property: FromQuery(Name = "package"), Description(DonationFilters.PackageDescription)]
    string[]? Package,
    [property: FromQuery(Name = "source"), Description(DonationFilters.SourceDescription)]
    string[]? Source,
    [property: FromQuery(Name = "source_kind"), Description(DonationFilters.SourceKindDescription)]
    string[]? SourceKind,
    [property: FromQuery(Name = "min_reliability"), Description(DonationFilters.MinReliabilityDescription)]
    string? MinReliability,
    [property: FromQuery(Name = "from"), Description(DonationFilters.FromDescription)]
    string? From,
    [property: FromQuery(Name = "to"), Description(DonationFilters.ToDescription)]
    string? To,
    [property: FromQuery(Name = "delivered_from"), Description(DonationFilters.DeliveredFromDescription)]
    string? DeliveredFrom,
    [property: FromQuery(Name = "delivered_to"), Description(DonationFilters.DeliveredToDescription)]
    string? DeliveredTo,
    [property: FromQuery(Name = "first_reported_from"), Description(DonationFilters.FirstReportedFromDescription)]
    string? FirstReportedFrom,
    [property: FromQuery(Name = "first_reported_to"), Description(DonationFilters.FirstReportedToDescription)]
    string? FirstReportedTo,
    [property: FromQuery(Name = "q"), Description(DonationFilters.QDescription)]
    string? Q,
    [property: FromQuery(Name = "as_of"), Description(DonationFilters.AsOfDescription)]
    string? AsOf = null,
    [property: FromQuery(Name = "release"), Description(DonationFilters.ReleaseDescription)]
    string? Release = null,
    [property: FromQuery(Name = "review_state"), Description(DonationFilters.ReviewStateDescription)]
    string[]? ReviewState = null);
