using AidTracker.Api.Http;
using AidTracker.Api.Stats;

namespace AidTracker.Tests.Stats;

public sealed class StatsOrderTests
{
    private static readonly IReadOnlyList<Dimension> DonorAndStatus = [StatsRepository.Dimensions["donor"], StatsRepository.Dimensions["status"]];

    [Fact]
    public void Without_a_sort_totals_run_by_descending_count_then_each_dimension_ascending()
    {
        var order = StatsEndpoints.ParseOrder(null, DonorAndStatus, new FieldErrors());

        Assert.Equal([("count", true), ("donor", false), ("status", false)], order);
    }

    [Fact]
    public void A_dimension_already_sorted_is_not_added_again_as_a_tiebreak()
    {
        var order = StatsEndpoints.ParseOrder("-status,value_eur", DonorAndStatus, new FieldErrors());

        Assert.Equal([("status", true), ("value_eur", false), ("donor", false)], order);
    }

    [Fact]
    public void A_dimension_not_grouped_by_is_not_a_sort_key_here()
    {
        var errors = new FieldErrors();

        var order = StatsEndpoints.ParseOrder("category", DonorAndStatus, errors);

        Assert.Null(order);
        Assert.Equal(
            ["'category' is not a sort key here. Use any of: donor, status, count, quantity, quantity_promised, quantity_delivered, quantity_undisclosed, value_eur, each with '-' for descending."],
            errors.ToDictionary()["sort"]);
    }
}
