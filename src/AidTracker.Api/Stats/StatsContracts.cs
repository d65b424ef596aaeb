using System.ComponentModel;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.WeaponSystems;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Stats;

/// <summary>The grouping, floor and order of <c>GET /stats/totals</c>; the filters are <see cref="DonationFilterQuery"/>.</summary>
public sealed record TotalsQuery(
    [property: FromQuery(Name = "group_by"), Description("The dimensions to group by, comma-separated, each once; year and month are of announced_on.")]
    string? GroupBy,
    [property: FromQuery(Name = "having_min_count"), Description("Leave out groups with fewer donations than this (at least 1).")]
    int? HavingMinCount,
    [property: FromQuery(Name = "sort"), Description("Dimensions of group_by or measures, comma-separated, '-' for descending, each once. Default: -count, then the dimensions.")]
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), ComponentSchema(WeaponCategories.SchemaId)] string? Category,
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
    AppliedFilters Filters,
    IReadOnlyList<TotalsRow> Items,
    TotalsRow Total);

/// <summary>The shape of <c>GET /stats/timeseries</c>; the filters are <see cref="DonationFilterQuery"/>.</summary>
public sealed record TimeseriesQuery(
    [property: FromQuery(Name = "interval"), Description("month (default), quarter or year.")]
    string? Interval,
    [property: FromQuery(Name = "split"), Description("One series per value of: donor, recipient, category, weapon_system or status. Absent: one series.")]
    string? Split,
    [property: FromQuery(Name = "cumulative"), Description("true: running totals; false (default): per period.")]
    bool? Cumulative,
    [property: FromQuery(Name = "date"), Description("The date that places a donation in a period: announced_on (default) or delivered_on (undelivered rows are left out).")]
    string? Date);

/// <summary>One period of a series. Every period between the first and the last is present, with zeros where nothing happened.</summary>
public sealed record TimeseriesPoint(string Period, long Count, long Quantity, decimal ValueEur);

/// <summary>One series: all rows (<c>key</c> absent), or one value of the split dimension, with its name where it has one.</summary>
public sealed record TimeseriesSeries(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    IReadOnlyList<TimeseriesPoint> Points);

public sealed record TimeseriesResponse(
    string Interval,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Split,
    bool Cumulative,
    string Date,
    AppliedFilters Filters,
    IReadOnlyList<string> Periods,
    IReadOnlyList<TimeseriesSeries> Series);

/// <summary>The grouping of <c>GET /stats/pledged-vs-delivered</c>; the filters are <see cref="DonationFilterQuery"/>.</summary>
public sealed record PledgedQuery(
    [property: FromQuery(Name = "by"), Description("donor (default) or category.")]
    string? By);

/// <summary>
/// Outstanding (announced plus committed) against delivered, by count and by known quantity. Cancelled rows are left
/// out. A ratio is delivered / (outstanding + delivered), null when both are zero. The quantity side compares only
/// rows whose quantity is known; <c>quantity_undisclosed</c> counts the rows it left out.
/// </summary>
public sealed record PledgedRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    long OutstandingCount,
    long DeliveredCount,
    double? DeliveryRatioCount,
    [property: Description("The summed known quantities of the outstanding rows.")] long OutstandingQuantity,
    [property: Description("The summed known quantities of the delivered rows.")] long DeliveredQuantity,
    [property: Description("delivered_quantity / (outstanding_quantity + delivered_quantity): over the rows whose quantity is known only; null when none is.")] double? DeliveryRatioQuantity,
    [property: Description("Rows left out of the quantities and of delivery_ratio_quantity because their quantity is undisclosed. They are in the counts.")] long QuantityUndisclosed);

public sealed record PledgedResponse(string By, AppliedFilters Filters, IReadOnlyList<PledgedRow> Items, PledgedRow Total);
