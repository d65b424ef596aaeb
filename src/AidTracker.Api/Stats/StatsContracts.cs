using System.ComponentModel;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Stats;

/// <summary>The grouping, floor and order of <c>GET /stats/totals</c>; the filters are <see cref="DonationFilterQuery"/>.</summary>
public sealed record TotalsQuery(
    [property: FromQuery(Name = "group_by"), Description("One or two dimensions, comma-separated: donor, recipient, category, weapon_system, status, year, month (of announced_on).")]
    string? GroupBy,
    [property: FromQuery(Name = "having_min_count"), Description("Leave out groups with fewer donations than this (at least 1).")]
    int? HavingMinCount,
    [property: FromQuery(Name = "sort"), Description("Dimensions or measures (count, quantity, quantity_undisclosed, value_eur), comma-separated, '-' for descending. Default: -count, then the dimensions.")]
    string? Sort);

/// <summary>
/// One group's measures. Only the grouped dimensions are present; names come alongside codes.
/// <c>quantity</c> sums the known quantities; <c>quantity_undisclosed</c> counts the rows without one.
/// </summary>
public sealed record TotalsRow(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Donor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DonorName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Recipient,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RecipientName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Category,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WeaponSystem,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WeaponSystemName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Year,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Month,
    long Count,
    long Quantity,
    long QuantityUndisclosed,
    decimal ValueEur);

public sealed record TotalsResponse(
    IReadOnlyList<string> GroupBy,
    IReadOnlyDictionary<string, object> Filters,
    IReadOnlyList<TotalsRow> Items,
    TotalsRow Total);
