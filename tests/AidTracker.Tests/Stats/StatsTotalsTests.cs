using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>/stats/totals against answers computed in LINQ over the same rows (read through the list endpoint).</summary>
public sealed class StatsTotalsTests(SortFixture app) : IClassFixture<SortFixture>
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "donor", "" },
        { "recipient", "" },
        { "category", "" },
        { "weapon_system", "" },
        { "status", "" },
        { "year", "" },
        { "month", "" },
        { "donor,category", "" },
        { "year,status", "&from=2023-01-01&to=2024-12-31" },
        { "month,status", "&from=2023-01-15&to=2024-06-20" },
        { "donor", "&status=delivered,committed" },
        { "category,donor", "&donor=USA,DEU,GBR" },
        { "weapon_system", "&category=manpads,anti-tank" },
        { "month", "&delivered_from=2022-06-01" },
        { "status", "&q=stinger" },
        { "funder", "" },
        { "package,status", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Totals_match_linq_over_the_same_rows(string groupBy, string filters)
    {
        var rows = await RowsAsync(filters);
        var dimensions = groupBy.Split(',');

        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/totals?group_by={groupBy}{filters}");

        var expected = rows
            .GroupBy(row => string.Join("|", dimensions.Select(d => Dimension(row, d))))
            .ToDictionary(g => g.Key, g => (
                Count: (long)g.Count(),
                Quantity: g.Sum(r => Known(r) ? r["quantity"]!.GetValue<long>() : 0),
                AtLeast: (long)g.Count(r => Qualifier(r) == "at_least"),
                Approximate: (long)g.Count(r => Qualifier(r) == "approximate"),
                Undisclosed: (long)g.Count(r => r["quantity"] is null),
                Delivered: g.Sum(r => r["deliveries"]!.AsArray().Sum(x => Known(x!) ? x!["quantity"]!.GetValue<long>() : 0)),
                ValueEur: g.Sum(r => r["value_eur"]?.GetValue<decimal>() ?? 0m)));
        var actual = response["items"]!.AsArray().ToDictionary(
            item => string.Join("|", dimensions.Select(d => item![d]?.ToString() ?? "unknown")),
            item => (
                Count: item!["count"]!.GetValue<long>(),
                Quantity: item["quantity_promised"]!.GetValue<long>(),
                AtLeast: item["quantity_promised_includes_at_least"]!.GetValue<long>(),
                Approximate: item["quantity_promised_approximate_count"]!.GetValue<long>(),
                Undisclosed: item["quantity_undisclosed"]!.GetValue<long>(),
                Delivered: item["quantity_delivered"]!.GetValue<long>(),
                ValueEur: item["value_eur"]!.GetValue<decimal>()));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        // quantity stays, as quantity_promised, for the clients that read it.
        Assert.All(response["items"]!.AsArray(), item => Assert.Equal(item!["quantity_promised"]!.GetValue<long>(), item["quantity"]!.GetValue<long>()));

        var total = response["total"]!;
        Assert.Equal(rows.Count, total["count"]!.GetValue<long>());
        Assert.Equal(rows.Sum(r => r["value_eur"]?.GetValue<decimal>() ?? 0m), total["value_eur"]!.GetValue<decimal>());
        Assert.Equal(dimensions, response["group_by"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    /// <summary>Every donation here cites the seed source only: by source_kind, one group holding each donation once.</summary>
    [Fact]
    public async Task By_source_kind_a_donation_counts_once_under_each_kind_it_cites()
    {
        var kind = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/sources/{Donations.SeedSource}"))["kind"]!.GetValue<string>();
        var rows = await RowsAsync("&donor=USA");

        var response = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=source_kind&donor=USA");

        var group = Assert.Single(response["items"]!.AsArray())!;
        Assert.Equal((kind, (long)rows.Count), (group["source_kind"]!.GetValue<string>(), group["count"]!.GetValue<long>()));
        Assert.Equal(rows.Count, response["total"]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Totals_come_sorted_by_descending_count_by_default_with_names_beside_codes()
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor");

        var items = response["items"]!.AsArray();
        var counts = items.Select(i => i!["count"]!.GetValue<long>()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.Equal("United States", items.Single(i => i!["donor"]!.GetValue<string>() == "USA")!["donor_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Totals_sort_by_any_measure_or_dimension_and_drop_small_groups()
    {
        var byValue = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor&sort=-value_eur"))["items"]!.AsArray();
        var byName = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor&sort=donor"))["items"]!.AsArray();
        var big = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor&having_min_count=10"))["items"]!.AsArray();

        var values = byValue.Select(i => i!["value_eur"]!.GetValue<decimal>()).ToList();
        Assert.Equal(values.OrderDescending(), values);
        var names = byName.Select(i => i!["donor"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.NotEmpty(big);
        Assert.All(big, i => Assert.True(i!["count"]!.GetValue<long>() >= 10));
        Assert.True(big.Count < byName.Count);
    }

    [Fact]
    public async Task Totals_say_which_filters_they_applied()
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=status&donor=usa,deu&from=2023-01-01&q=jav*");

        var filters = response["filters"]!.AsObject();
        Assert.Equal(new[] { "USA", "DEU" }, filters["donor"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("2023-01-01", filters["from"]!.GetValue<string>());
        Assert.Equal("jav*", filters["q"]!.GetValue<string>());
        Assert.False(filters.ContainsKey("to"));
    }

    [Fact]
    public async Task A_bad_filter_and_a_bad_sort_are_both_named()
    {
        var problem = await (await app.Anonymous().GetAsync("/api/v1/stats/totals?group_by=donor&donor=XXX&sort=colour")).AssertProblemNamingAsync("donor");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("sort"), problem.ToJsonString());
    }

    [Theory]
    [InlineData("", "group_by")]
    [InlineData("group_by=colour", "group_by")]
    [InlineData("group_by=donor,category,status", "group_by")]
    [InlineData("group_by=donor,donor", "group_by")]
    [InlineData("group_by=donor&sort=category", "sort")]
    [InlineData("group_by=donor&sort=-count,count", "sort")]
    [InlineData("group_by=donor&having_min_count=0", "having_min_count")]
    [InlineData("group_by=donor&having_min_count=many", "having_min_count")]
    [InlineData("group_by=donor&donor=XXX", "donor")]
    [InlineData("group_by=donor&limit=5", "limit")]
    public async Task Bad_totals_queries_return_problem_naming_the_parameter(string query, string field)
    {
        await (await app.Anonymous().GetAsync($"/api/v1/stats/totals?{query}")).AssertProblemNamingAsync(field);
    }

    private static string Qualifier(JsonNode row) => row["quantity_qualifier"]!.GetValue<string>();

    private static bool Known(JsonNode row) => Qualifier(row) is "exact" or "at_least";

    private Task<List<JsonNode>> RowsAsync(string filters) => app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?limit=1000{filters}");

    private static string Dimension(JsonNode row, string dimension) => dimension switch
    {
        // A record announced on an unknown date is in the group of none (null); this fixture's dates are days.
        "year" => row["announced_on"]?.GetValue<string>()[..4] ?? "unknown",
        "month" => row["announced_on"]?.GetValue<string>()[..7] ?? "unknown",
        // No funder, no package: the group without that field.
        _ => row[dimension]?.ToString() ?? "unknown",
    };
}
