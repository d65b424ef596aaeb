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
        group.MapGet("/totals", GetTotals).WithName("GetTotals")
            .WithSummary("Totals by one or two dimensions")
            .WithDescription("Count, summed known quantity, count of undisclosed quantities and summed value_eur, grouped by one or two of donor, recipient, category, weapon_system, status, year, month; over every donation filter, with a grand total of all filtered rows. Names come alongside codes. 'filters' echoes what was applied.");
        return group;
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
        if (unknown.Count > 0) errors.Add("group_by", $"{string.Join(", ", unknown.Select(n => $"'{n}'"))} is not a dimension. Use one or two of: {string.Join(", ", StatsRepository.Dimensions.Keys)}.");
        else if (names.Length > 2) errors.Add("group_by", "group_by takes at most two dimensions.");
        else if (names.Distinct().Count() != names.Length) errors.Add("group_by", "group_by names a dimension twice.");
        return errors.Any ? null : names.Select(n => StatsRepository.Dimensions[n]).ToList();
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
