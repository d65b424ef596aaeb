using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>/stats/pledged-vs-delivered against LINQ over the same rows.</summary>
public sealed class StatsPledgedTests(SortFixture app) : IClassFixture<SortFixture>
{
    [Theory]
    [InlineData("donor", "")]
    [InlineData("category", "")]
    [InlineData("donor", "&category=manpads,anti-tank&from=2023-01-01")]
    public async Task Outstanding_and_delivered_match_linq(string by, string filters)
    {
        var rows = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations?limit=1000{filters}"))["items"]!.AsArray()
            .Select(r => r!).Where(r => r["status"]!.GetValue<string>() != "cancelled").ToList();

        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/pledged-vs-delivered?by={by}{filters}");

        var items = response["items"]!.AsArray();
        Assert.Equal(rows.Select(r => r[by]!.GetValue<string>()).Distinct().Count(), items.Count);
        foreach (var item in items)
        {
            var mine = rows.Where(r => r[by]!.GetValue<string>() == item!["key"]!.GetValue<string>()).ToList();
            var outstanding = mine.Where(r => r["status"]!.GetValue<string>() is "announced" or "committed").ToList();
            var delivered = mine.Where(r => r["status"]!.GetValue<string>() == "delivered").ToList();
            Assert.Equal(outstanding.Count, item!["outstanding_count"]!.GetValue<long>());
            Assert.Equal(delivered.Count, item["delivered_count"]!.GetValue<long>());
            Assert.Equal(outstanding.Sum(r => r["quantity"]?.GetValue<long>() ?? 0), item["outstanding_quantity"]!.GetValue<long>());
            Assert.Equal(delivered.Sum(r => r["quantity"]?.GetValue<long>() ?? 0), item["delivered_quantity"]!.GetValue<long>());
            Assert.Equal(Math.Round((double)delivered.Count / mine.Count, 6), item["delivery_ratio_count"]!.GetValue<double>());
        }
        Assert.Equal(rows.Count, response["total"]!["outstanding_count"]!.GetValue<long>() + response["total"]!["delivered_count"]!.GetValue<long>());
        if (by == "donor") Assert.All(items, item => Assert.False(string.IsNullOrEmpty(item!["name"]?.GetValue<string>())));
    }

    [Fact]
    public async Task Bad_grouping_returns_problem_naming_by()
    {
        await (await app.Anonymous().GetAsync("/api/v1/stats/pledged-vs-delivered?by=month")).AssertProblemNamingAsync("by");
    }
}
