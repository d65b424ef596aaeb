using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Stats;

public static class StatsEndpoints
{
    public static IServiceCollection AddStats(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(options => options.MapComponent<AppliedFilters>(DonationFilters.AppliedSchemaId, DonationFilters.AppliedSchema));
        return services.AddSingleton<StatsRepository>();
    }

    public static RouteGroupBuilder MapStats(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats").WithTag("Statistics", "Totals, timeseries and pledged-against-delivered figures over the filtered donations.").WithApiConventions();
        group.MapGet("/totals", GetTotals).WithName("GetTotals").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, GroupBy, HavingMinCount, TotalsSort])
            .WithSummary("Totals by one or two dimensions")
            .WithDescription("Count, summed known quantity, count of undisclosed quantities and summed value_eur, grouped by one or two of donor, recipient, category, weapon_system, status, year, month; over every donation filter, with a grand total of all filtered rows. Names come alongside codes. 'filters' echoes what was applied.");
        group.MapGet("/timeseries", GetTimeseries).WithName("GetTimeseries").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, Interval, Split, DateField])
            .WithSummary("A dense timeseries")
            .WithDescription("Count, summed known quantity and summed value_eur per month, quarter or year, optionally one series per donor, recipient, category, weapon_system or status, optionally cumulative. Every period from the first to the last (or from 'from' to 'to' when given) is present, with zeros: ready for a chart.");
        group.MapGet("/pledged-vs-delivered", GetPledgedVsDelivered).WithName("GetPledgedVsDelivered").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, PledgedGrouping])
            .WithSummary("Pledged against delivered")
            .WithDescription("Per donor or category: outstanding (announced plus committed) against delivered, by count and by known quantity, with the delivery ratio delivered / (outstanding + delivered). Cancelled rows are left out. The quantities and delivery_ratio_quantity compare only rows whose quantity is known: quantity_undisclosed says how many rows they left out because their quantity is undisclosed (those rows are in the counts).");
        return group;
    }

    public static async Task<Results<Ok<PledgedResponse>, ValidationProblem>> GetPledgedVsDelivered(
        [AsParameters] DonationFilterQuery filterQuery, [AsParameters] PledgedQuery query, DonationQueryParser parser, StatsRepository stats,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = await parser.ParseFilterAsync(filterQuery, errors, cancellationToken);
        var by = PledgedGrouping.Parse(query.By, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (groups, total) = await stats.PledgedAsync(filter!, StatsRepository.Dimensions[by!], cancellationToken);
        return TypedResults.Ok(new PledgedResponse(by!, filter!.Applied(), groups.Select(ToPledged).ToList(), ToPledged(total)));
    }

    private static PledgedRow ToPledged(StatsRepository.PledgedRowData row) => new(
        row.Key, row.Name, row.OutstandingCount, row.DeliveredCount, Ratio(row.DeliveredCount, row.OutstandingCount),
        row.OutstandingQuantity, row.DeliveredQuantity, Ratio(row.DeliveredQuantity, row.OutstandingQuantity), row.QuantityUndisclosed);

    private static double? Ratio(long delivered, long outstanding) =>
        delivered + outstanding == 0 ? null : Math.Round((double)delivered / (delivered + outstanding), 6);

    public static async Task<Results<Ok<TimeseriesResponse>, ValidationProblem>> GetTimeseries(
        [AsParameters] DonationFilterQuery filterQuery, [AsParameters] TimeseriesQuery query, DonationQueryParser parser, StatsRepository stats,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = await parser.ParseFilterAsync(filterQuery, errors, cancellationToken);
        var interval = Interval.Parse(query.Interval, errors);
        var split = Split.Parse(query.Split, errors) is { } name ? StatsRepository.Dimensions[name] : null;
        var date = DateField.Parse(query.Date, errors);
        if (errors.Any || interval is null || date is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await stats.PeriodsAsync(filter!, interval, $"d.{date}", split, cancellationToken);
        var (firstField, lastField) = date == "announced_on" ? ("from", "to") : ("delivered_from", "delivered_to");
        var first = date == "announced_on" ? filter!.From : filter!.DeliveredFrom;
        var last = date == "announced_on" ? filter.To : filter.DeliveredTo;
        List<string> periods = [];
        if (rows.Count > 0 || first is not null && last is not null)
        {
            var (start, end) = (first ?? Periods.Start(rows[0].Period), last ?? Periods.Start(rows[^1].Period));
            var count = Periods.Count(interval, start, end);
            if (count > MaxPeriods)
            {
                // Name the bound that stretched the range; without one, the data's own span is too long for the interval.
                var field = last is not null ? lastField : first is not null ? firstField : "interval";
                return Problems.Validation(field,
                    $"From {Timestamps.Format(start)} to {Timestamps.Format(end)} is {count:N0} {interval}s; a timeseries answers at most {MaxPeriods} periods. Narrow {firstField}/{lastField} or use a longer interval.");
            }
            periods = Periods.Between(interval, start, end);
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

    // The choices of the stats' own query parameters (their filters are DonationFilterQuery's); the parameters
    // themselves are declared, with their descriptions, by TotalsQuery, TimeseriesQuery and PledgedQuery.
    internal static readonly ChoiceParameter Interval = new("interval", "an interval", Periods.Intervals, absent: "month");

    internal static readonly ChoiceParameter Split = new("split", "a split", new(["donor", "recipient", "category", "weapon_system", "status"]));

    internal static readonly ChoiceParameter DateField = new("date", "a date field", new(["announced_on", "delivered_on"]), absent: "announced_on");

    internal static readonly ChoiceParameter PledgedGrouping = new("by", "a grouping here", new(["donor", "category"]), absent: "donor");

    internal static readonly ChoiceParameter GroupBy = new("group_by", "a dimension", StatsRepository.DimensionNames,
        useOneOf: $"Use one or two of: {string.Join(", ", StatsRepository.Dimensions.Keys)}.") { Many = true, MaxItems = 2, Required = true };

    internal static readonly IntegerParameter HavingMinCount = new("having_min_count", absent: 1, min: 1);

    /// <summary>Every key a totals sort can name: the dimensions (only those of group_by are taken: <see cref="ParseOrder"/>) and the measures.</summary>
    internal static readonly SortParameter TotalsSort = new("sort", new SortList(StatsRepository.DimensionNames.Concat(StatsRepository.Measures)));

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
        var minCount = HavingMinCount.Parse(query.HavingMinCount, errors);
        var order = groupBy is null ? null : ParseOrder(query.Sort, groupBy, errors);
        if (errors.Any || minCount is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (groups, total) = await stats.TotalsAsync(filter!, groupBy!, minCount.Value, order!, cancellationToken);
        return TypedResults.Ok(new TotalsResponse(
            groupBy!.Select(d => d.Name).ToList(), filter!.Applied(), groups.Select(g => g.ToRow()).ToList(), total.ToRow()));
    }

    private static List<Dimension>? ParseGroupBy(string? groupBy, FieldErrors errors)
    {
        // Only group_by's own problem stops here: a bad filter must not hide a bad sort from the same response.
        if (GroupBy.ParseList(groupBy, errors) is not { } names) return null;
        var problem = names.Count > GroupBy.MaxItems ? $"group_by takes at most {GroupBy.MaxItems} dimensions."
            : names.Distinct().Count() != names.Count ? "group_by names a dimension twice."
            : null;
        if (problem is null) return names.Select(n => StatsRepository.Dimensions[n]).ToList();
        errors.Add(GroupBy.Name, problem);
        return null;
    }

    /// <summary>The requested keys, then the dimensions ascending, so that equal groups always come in one order.</summary>
    internal static List<(string Key, bool Descending)>? ParseOrder(string? sort, IReadOnlyList<Dimension> groupBy, FieldErrors errors)
    {
        var keys = new SortList(groupBy.Select(d => d.Name).Concat(StatsRepository.Measures), here: " here");
        var order = keys.Parse(string.IsNullOrEmpty(sort) ? "-count" : sort, message => errors.Add("sort", message)).ConvertAll(term => (Key: term.Name, term.Descending));
        order.AddRange(groupBy.Where(d => order.All(o => o.Key != d.Name)).Select(d => (d.Name, false)));
        return errors.Any ? null : order;
    }
}
