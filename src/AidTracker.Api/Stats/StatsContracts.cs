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
/// The measures of stats, one set per group, period or left-apart share. Sums add exact and "at least" figures (the
/// <c>_includes_at_least</c> fields say how many of those went in); approximate figures are counted apart and never
/// added; undisclosed ones are counted.
/// </summary>
public abstract record StatsMeasures
{
    [Description("Donations (by delivered_on: deliveries).")]
    public long Count { get; set; }
    [Description("The same as quantity_promised; kept for clients that read it.")]
    public long Quantity { get; set; }
    [Description("The summed promised quantities (the donations' quantity) that are exact or at least.")]
    public long QuantityPromised { get; set; }
    [Description("How many of the figures in quantity_promised are 'at least': the sum is then itself at least.")]
    public long QuantityPromisedIncludesAtLeast { get; set; }
    [Description("Donations whose promised quantity is approximate: counted here, not added to quantity_promised.")]
    public long QuantityPromisedApproximateCount { get; set; }
    [Description("Donations whose promised quantity is undisclosed.")]
    public long QuantityUndisclosed { get; set; }
    [Description("The summed delivered quantities (the deliveries' quantity) that are exact or at least.")]
    public long QuantityDelivered { get; set; }
    [Description("How many of the delivery figures in quantity_delivered are 'at least'.")]
    public long QuantityDeliveredIncludesAtLeast { get; set; }
    [Description("Deliveries whose quantity is approximate: counted here, not added to quantity_delivered.")]
    public long QuantityDeliveredApproximateCount { get; set; }
    [Description("Deliveries whose quantity is undisclosed.")]
    public long QuantityDeliveredUndisclosed { get; set; }
    [Description("The summed value_eur (donations without one add nothing).")]
    public decimal ValueEur { get; set; }
}

/// <summary>One group's measures. Only the grouped dimensions are present; names come alongside codes.</summary>
public sealed record TotalsRow : StatsMeasures
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Donor { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DonorName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Recipient { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RecipientName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Funder { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? FunderName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), ComponentSchema(WeaponCategories.SchemaId)] public string? Category { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? WeaponSystem { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? WeaponSystemName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The package's id; absent in the group of donations without a package.")] public long? Package { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PackageTitle { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("A kind of the sources the donation's evidence cites; a donation counts once under each of its kinds.")] public string? SourceKind { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Year { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Month { get; init; }
}

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
    [property: FromQuery(Name = "date"), Description("The date that places a record in a period: announced_on (default), committed_on or first_reported_on of the donations, or delivered_on of their deliveries (then each delivery is placed on its own date).")]
    string? Date);

/// <summary>One period of a series. Every period between the first and the last is present, with zeros where nothing happened.</summary>
public sealed record TimeseriesPoint : StatsMeasures
{
    public required string Period { get; init; }
}

/// <summary>Why a series could not place a record: its date is coarser than the interval (a year in a monthly series), or it has none.</summary>
public enum LeftApartReason { CoarserThanInterval, Undated }

/// <summary>Records a series could not place: dated more coarsely than the interval, or not dated at all.</summary>
public sealed record LeftApart : StatsMeasures
{
    [Description("coarser_than_interval: the date is known only to a year (or a month) and the interval is finer; undated: no date at all.")]
    public required LeftApartReason Reason { get; init; }
}

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
    IReadOnlyList<TimeseriesSeries> Series,
    [property: Description("What no period holds, over all series: always both reasons, with zeros when nothing was left apart.")] IReadOnlyList<LeftApart> LeftApart);

/// <summary>The grouping of <c>GET /stats/pledged-vs-delivered</c>; the filters are <see cref="DonationFilterQuery"/>.</summary>
public sealed record PledgedQuery(
    [property: FromQuery(Name = "by"), Description("donor (default) or category.")]
    string? By);

/// <summary>Why pledged-vs-delivered left a record out of its quantities; each record counts under the first reason that applies, in this order.</summary>
public sealed record PledgedLeftOut(
    [property: Description("The promised quantity is undisclosed.")] long PromisedUndisclosed,
    [property: Description("The promised quantity is approximate.")] long PromisedApproximate,
    [property: Description("A delivery's quantity is undisclosed.")] long DeliveryUndisclosed,
    [property: Description("A delivery's quantity is approximate.")] long DeliveryApproximate);

/// <summary>
/// Outstanding (announced plus committed) against delivered (partially_delivered plus delivered), by count; and the
/// promised against the delivered quantity over the records where both are known (exact or at least: a record without
/// deliveries has delivered none). Cancelled records are left out.
/// </summary>
public sealed record PledgedRow(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    long OutstandingCount,
    [property: Description("Records partially_delivered or delivered.")] long DeliveredCount,
    [property: Description("delivered_count / (outstanding_count + delivered_count); null when both are zero.")] double? DeliveryRatioCount,
    [property: Description("Records whose promised and delivered quantities are both known, exact or at least: the quantities below are theirs.")] long ComparedCount,
    [property: Description("How many compared records have an 'at least' figure, promised or delivered: their sums are then lower bounds.")] long ComparedIncludesAtLeast,
    [property: Description("The summed promised quantities of the compared records.")] long QuantityPromised,
    [property: Description("The summed delivered quantities (their deliveries') of the compared records.")] long QuantityDelivered,
    [property: Description("quantity_delivered / quantity_promised; null when quantity_promised is zero.")] double? DeliveryRatioQuantity,
    [property: Description("The records left out of the quantities, by reason; they are in the counts.")] PledgedLeftOut LeftOut);

public sealed record PledgedResponse(string By, AppliedFilters Filters, IReadOnlyList<PledgedRow> Items, PledgedRow Total);
