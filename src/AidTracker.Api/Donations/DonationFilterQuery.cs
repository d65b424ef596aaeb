using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Donations;

/// <summary>
/// The filter parameters that /donations, /stats/* and (later) /exports/* share, as bound from HTTP. Lists may be
/// comma-separated, repeated, or both. <see cref="DonationQueryParser"/> is the one place that turns them into a filter.
/// </summary>
public sealed record DonationFilterQuery(
    [property: FromQuery(Name = "donor"), Description("Donor country codes (ISO 3166-1 alpha-3, or EU / NATO): a comma list, or the parameter repeated. Any case.")]
    string[]? Donor,
    [property: FromQuery(Name = "recipient"), Description("Recipient country codes, as for donor.")]
    string[]? Recipient,
    [property: FromQuery(Name = "weapon_system"), Description("Weapon system ids from /api/v1/weapon-systems, such as fgm-148-javelin.")]
    string[]? WeaponSystem,
    [property: FromQuery(Name = "category"), Description("Weapon categories: anti-tank, manpads, air-defence, artillery, rocket-artillery, rocket-launcher, small-arms, ammunition, armoured-vehicle, tank, aircraft, helicopter, drone, naval, equipment, other.")]
    string[]? Category,
    [property: FromQuery(Name = "status"), Description("Statuses: announced, committed, delivered, cancelled.")]
    string[]? Status,
    [property: FromQuery(Name = "from"), Description("Earliest announced_on, inclusive, as yyyy-MM-dd.")]
    string? From,
    [property: FromQuery(Name = "to"), Description("Latest announced_on, inclusive, as yyyy-MM-dd.")]
    string? To,
    [property: FromQuery(Name = "delivered_from"), Description("Earliest delivered_on, inclusive, as yyyy-MM-dd. Rows without a delivery date are left out.")]
    string? DeliveredFrom,
    [property: FromQuery(Name = "delivered_to"), Description("Latest delivered_on, inclusive, as yyyy-MM-dd.")]
    string? DeliveredTo,
    [property: FromQuery(Name = "q"), Description("Full-text search over weapon name, source and notes: words (all required), \"quoted phrases\", and prefixes ending in *. Case and accents are ignored. Not with as_of or release: the search index holds today's text only.")]
    string? Q,
    [property: FromQuery(Name = "as_of"), Description("Answer from the dataset exactly as it stood at this moment (RFC 3339, such as 2026-01-31T00:00:00Z; not in the future): each donation as its last version then, rows deleted since included, rows created since left out, names and categories as they were.")]
    string? AsOf = null,
    [property: FromQuery(Name = "release"), Description("A release id from /api/v1/releases: the same as as_of set to that release's moment.")]
    string? Release = null);
