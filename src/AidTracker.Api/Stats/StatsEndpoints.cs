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
            .WithDescription("Count, summed promised and delivered quantities (exact and at-least figures added, how many at-least figures went in, approximate ones counted apart, undisclosed ones counted) and summed value_eur, grouped by one or two of donor, recipient, funder, category, weapon_system, status, package, source_kind, year, month; over every donation filter, with a grand total of all filtered rows. By source_kind a donation counts once under each kind its evidence cites, so groups may add up to more than the total, which counts each donation once. Names come alongside codes. 'filters' echoes what was applied; a date filter keeps a record whose date lies wholly inside it and leaves out undated ones.");
        group.MapGet("/timeseries", GetTimeseries).WithName("GetTimeseries").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, Interval, Split, DateField])
            .WithSummary("A dense timeseries")
            .WithDescription("The stats' measures per month, quarter or year of announced_on, committed_on, first_reported_on or (deliveries by their own date) delivered_on, optionally one series per donor, recipient, category, weapon_system or status, optionally cumulative. Every period from the first to the last (or from 'from' to 'to' when given) is present, with zeros: ready for a chart. A date known more coarsely than the interval (a year in a monthly series) is never placed in a period: left_apart counts those, and the undated records, with their measures.");
        group.MapGet("/pledged-vs-delivered", GetPledgedVsDelivered).WithName("GetPledgedVsDelivered").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, PledgedGrouping])
            .WithSummary("Pledged against delivered")
            .WithDescription("Per donor or category: outstanding (announced plus committed) against delivered (partially_delivered plus delivered) by count, with the delivery ratio delivered / (outstanding + delivered); and the promised against the delivered quantity, compared only over records whose promised quantity and every delivery's quantity are known, exact or at least (a record without deliveries has delivered none). compared_includes_at_least says how many of those have an at-least figure; left_out counts the records left out of the quantities, by reason (they are in the counts). Cancelled rows are left out.");
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
        row.Key, row.Name, row.OutstandingCount, row.DeliveredCount, Ratio(row.DeliveredCount, row.OutstandingCount + row.DeliveredCount),
        row.ComparedCount, row.ComparedIncludesAtLeast, row.QuantityPromised, row.QuantityDelivered, Ratio(row.QuantityDelivered, row.QuantityPromised),
        new PledgedLeftOut(row.PromisedUndisclosed, row.PromisedApproximate, row.DeliveryUndisclosed, row.DeliveryApproximate));

    private static double? Ratio(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);

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

        var (rows, apart) = await stats.PeriodsAsync(filter!, interval, date, split, cancellationToken);
        // The bounds of the range, where the date has a filter of its own.
        var (firstField, lastField, first, last) = date switch
        {
            "announced_on" => ("from", "to", filter!.From, filter.To),
            "delivered_on" => ("delivered_from", "delivered_to", filter!.DeliveredFrom, filter.DeliveredTo),
            _ => ("from", "to", null, null),
        };
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
        var leftApart = LeftApartReasons
            .Select(reason => (apart.FirstOrDefault(a => a.Reason == reason.Sql) ?? new StatsRepository.LeftApartRow()).Onto(new LeftApart { Reason = reason.Reason }))
            .ToList();
        return TypedResults.Ok(new TimeseriesResponse(interval, split?.Name, cumulative, date, filter!.Applied(), periods, series, leftApart));
    }

    private const int MaxPeriods = 1200;

    // The choices of the stats' own query parameters (their filters are DonationFilterQuery's); the parameters
    // themselves are declared, with their descriptions, by TotalsQuery, TimeseriesQuery and PledgedQuery.
    internal static readonly ChoiceParameter Interval = new("interval", "an interval", Periods.Intervals, absent: "month");

    internal static readonly ChoiceParameter Split = new("split", "a split", new(["donor", "recipient", "category", "weapon_system", "status"]));

    internal static readonly ChoiceParameter DateField = new("date", "a date field", new(["announced_on", "committed_on", "first_reported_on", "delivered_on"]), absent: "announced_on");

    /// <summary>The reasons of left_apart, each with the text the SQL writes for it.</summary>
    private static readonly (LeftApartReason Reason, string Sql)[] LeftApartReasons =
        [(LeftApartReason.CoarserThanInterval, "coarser_than_interval"), (LeftApartReason.Undated, "undated")];

    internal static readonly ChoiceParameter PledgedGrouping = new("by", "a grouping here", new(["donor", "category"]), absent: "donor");

    internal static readonly ChoiceParameter GroupBy = new("group_by", "a dimension", StatsRepository.DimensionNames,
        useOneOf: $"Use one or two of: {string.Join(", ", StatsRepository.Dimensions.Keys)}.") { Many = true, MaxItems = 2, Required = true };

    internal static readonly IntegerParameter HavingMinCount = new("having_min_count", absent: 1, min: 1);

    /// <summary>Every key a totals sort can name: the dimensions (only those of group_by are taken: <see cref="ParseOrder"/>) and the measures.</summary>
    internal static readonly SortParameter TotalsSort = new("sort", new SortList(StatsRepository.DimensionNames.Concat(StatsRepository.Measures)));

    private static List<TimeseriesPoint> Densify(IReadOnlyList<string> periods, IReadOnlyDictionary<string, StatsRepository.PeriodRow> rows, bool cumulative)
    {
        var points = new List<TimeseriesPoint>(periods.Count);
        var sum = new MeasureData();
        foreach (var period in periods)
        {
            if (!cumulative) sum = new MeasureData();
            if (rows.TryGetValue(period, out var row)) sum.Add(row);
            points.Add(sum.Onto(new TimeseriesPoint { Period = period }));
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
