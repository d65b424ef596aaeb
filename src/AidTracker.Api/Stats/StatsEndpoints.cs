using AidTracker.Api.Donations;
using AidTracker.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Stats;

public static class StatsEndpoints
{
    public static IServiceCollection AddStats(this IServiceCollection services) => services.AddSingleton<StatsRepository>();

    public static RouteGroupBuilder MapStats(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats").WithTags("Statistics").WithApiConventions();
        group.MapGet("/totals", GetTotals).WithName("GetTotals").CacheReads()
            .WithSummary("Totals by one or two dimensions")
            .WithDescription("Count, summed known quantity, count of undisclosed quantities and summed value_eur, grouped by one or two of donor, recipient, category, weapon_system, status, year, month; over every donation filter, with a grand total of all filtered rows. Names come alongside codes. 'filters' echoes what was applied.");
        group.MapGet("/timeseries", GetTimeseries).WithName("GetTimeseries").CacheReads()
            .WithSummary("A dense timeseries")
            .WithDescription("Count, summed known quantity and summed value_eur per month, quarter or year, optionally one series per donor, recipient, category, weapon_system or status, optionally cumulative. Every period from the first to the last (or from 'from' to 'to' when given) is present, with zeros: ready for a chart.");
        group.MapGet("/pledged-vs-delivered", GetPledgedVsDelivered).WithName("GetPledgedVsDelivered").CacheReads()
            .WithSummary("Pledged against delivered")
            .WithDescription("Per donor or category: outstanding (announced plus committed) against delivered, by count and by known quantity, with the delivery ratio delivered / (outstanding + delivered). Cancelled rows are left out.");
        return group;
    }

    public static async Task<Results<Ok<PledgedResponse>, ValidationProblem>> GetPledgedVsDelivered(
        [AsParameters] DonationFilterQuery filterQuery, [AsParameters] PledgedQuery query, DonationQueryParser parser, StatsRepository stats,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = await parser.ParseFilterAsync(filterQuery, errors, cancellationToken);
        var by = query.By ?? "donor";
        if (by is not ("donor" or "category")) errors.Add("by", $"'{by}' is not a grouping here. Use donor or category.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (groups, total) = await stats.PledgedAsync(filter!, StatsRepository.Dimensions[by], cancellationToken);
        return TypedResults.Ok(new PledgedResponse(by, filter!.Applied(), groups.Select(ToPledged).ToList(), ToPledged(total)));
    }

    private static PledgedRow ToPledged(StatsRepository.PledgedRowData row) => new(
        row.Key, row.Name, row.OutstandingCount, row.DeliveredCount, Ratio(row.DeliveredCount, row.OutstandingCount),
        row.OutstandingQuantity, row.DeliveredQuantity, Ratio(row.DeliveredQuantity, row.OutstandingQuantity));

    private static double? Ratio(long delivered, long outstanding) =>
        delivered + outstanding == 0 ? null : Math.Round((double)delivered / (delivered + outstanding), 6);

    public static async Task<Results<Ok<TimeseriesResponse>, ValidationProblem>> GetTimeseries(
        [AsParameters] DonationFilterQuery filterQuery, [AsParameters] TimeseriesQuery query, DonationQueryParser parser, StatsRepository stats,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = await parser.ParseFilterAsync(filterQuery, errors, cancellationToken);
        var interval = query.Interval ?? "month";
        if (!Periods.Intervals.Contains(interval)) errors.Add("interval", $"'{interval}' is not an interval. Use one of: {string.Join(", ", Periods.Intervals)}.");
        Dimension? split = null;
        if (query.Split is not null && !(SplitDimensions.Contains(query.Split) && StatsRepository.Dimensions.TryGetValue(query.Split, out split)))
        {
            errors.Add("split", $"'{query.Split}' is not a split. Use one of: {string.Join(", ", SplitDimensions)}.");
        }
        var date = query.Date ?? "announced_on";
        if (date is not ("announced_on" or "delivered_on")) errors.Add("date", $"'{date}' is not a date field. Use announced_on or delivered_on.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await stats.PeriodsAsync(filter!, interval, $"d.{date}", split, cancellationToken);
        var first = date == "announced_on" ? filter!.From : filter!.DeliveredFrom;
        var last = date == "announced_on" ? filter.To : filter.DeliveredTo;
        var periods = rows.Count == 0 && (first is null || last is null)
            ? []
            : Periods.Between(interval, first ?? Periods.Start(rows[0].Period), last ?? Periods.Start(rows[^1].Period));
        if (periods.Count > MaxPeriods)
        {
            return Problems.Validation("interval", $"The range spans {periods.Count} {interval}s; at most {MaxPeriods} fit one response. Narrow from/to or use a longer interval.");
        }
        var cumulative = query.Cumulative ?? false;
        var series = rows
            .GroupBy(row => (row.SplitKey, row.SplitName))
            .OrderBy(g => g.Key.SplitKey, StringComparer.Ordinal)
            .Select(g => new TimeseriesSeries(g.Key.SplitKey, g.Key.SplitName, Densify(periods, g.ToDictionary(r => r.Period), cumulative)))
            .ToList();
        if (series.Count == 0) series.Add(new TimeseriesSeries(null, null, Densify(periods, new Dictionary<string, StatsRepository.PeriodRow>(), cumulative)));
        return TypedResults.Ok(new TimeseriesResponse(interval, split?.Name, cumulative, date, filter.Applied(), periods, series));
    }

    private const int MaxPeriods = 1200;

    private static readonly IReadOnlyList<string> SplitDimensions = ["donor", "recipient", "category", "weapon_system", "status"];

    private static List<TimeseriesPoint> Densify(IReadOnlyList<string> periods, IReadOnlyDictionary<string, StatsRepository.PeriodRow> rows, bool cumulative)
    {
        var points = new List<TimeseriesPoint>(periods.Count);
        long count = 0, quantity = 0, cents = 0;
        foreach (var period in periods)
        {
            rows.TryGetValue(period, out var row);
            if (!cumulative) count = quantity = cents = 0;
            count += row?.Count ?? 0;
            quantity += row?.Quantity ?? 0;
            cents += row?.ValueEurCents ?? 0;
            points.Add(new TimeseriesPoint(period, count, quantity, Money.FromMinor(cents, 2)));
        }
        return points;
    }

    public static async Task<Results<Ok<TotalsResponse>, ValidationProblem>> GetTotals(
        [AsParameters] DonationFilterQuery filterQuery, [AsParameters] TotalsQuery query, DonationQueryParser parser, StatsRepository stats,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = await parser.ParseFilterAsync(filterQuery, errors, cancellationToken);
        var groupBy = ParseGroupBy(query.GroupBy, errors);
        var minCount = query.HavingMinCount ?? 1;
        if (minCount < 1) errors.Add("having_min_count", "having_min_count must be at least 1.");
        var order = groupBy is null ? null : ParseOrder(query.Sort, groupBy, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (groups, total) = await stats.TotalsAsync(filter!, groupBy!, minCount, order!, cancellationToken);
        return TypedResults.Ok(new TotalsResponse(
            groupBy!.Select(d => d.Name).ToList(), filter!.Applied(), groups.Select(g => g.ToRow()).ToList(), total.ToRow()));
    }

    private static List<Dimension>? ParseGroupBy(string? groupBy, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(groupBy))
        {
            errors.Add("group_by", $"group_by is required: one or two of {string.Join(", ", StatsRepository.Dimensions.Keys)}.");
            return null;
        }
        var names = groupBy.Split(',', StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !StatsRepository.Dimensions.ContainsKey(n)).ToList();
        var problem = unknown.Count > 0
            ? $"{string.Join(", ", unknown.Select(n => $"'{n}'"))} is not a dimension. Use one or two of: {string.Join(", ", StatsRepository.Dimensions.Keys)}."
            : names.Length > 2 ? "group_by takes at most two dimensions."
            : names.Distinct().Count() != names.Length ? "group_by names a dimension twice."
            : null;
        // Only group_by's own problem stops here: a bad filter must not hide a bad sort from the same response.
        if (problem is null) return names.Select(n => StatsRepository.Dimensions[n]).ToList();
        errors.Add("group_by", problem);
        return null;
    }

    /// <summary>The requested keys, then the dimensions ascending, so that equal groups always come in one order.</summary>
    private static List<(string Key, bool Descending)>? ParseOrder(string? sort, IReadOnlyList<Dimension> groupBy, FieldErrors errors)
    {
        var allowed = groupBy.Select(d => d.Name).Concat(StatsRepository.Measures).ToList();
        var order = new List<(string Key, bool Descending)>();
        foreach (var item in (string.IsNullOrEmpty(sort) ? "-count" : sort).Split(',', StringSplitOptions.TrimEntries))
        {
            var key = item.TrimStart('-');
            if (!allowed.Contains(key)) errors.Add("sort", $"'{item}' is not a sort key here. Use any of: {string.Join(", ", allowed)}, each with '-' for descending.");
            else if (order.Any(o => o.Key == key)) errors.Add("sort", $"'{key}' appears more than once.");
            else order.Add((key, item.StartsWith('-')));
        }
        order.AddRange(groupBy.Where(d => order.All(o => o.Key != d.Name)).Select(d => (d.Name, false)));
        return errors.Any ? null : order;
    }
}
