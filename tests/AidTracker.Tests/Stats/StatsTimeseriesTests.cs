using System.Globalization;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// /stats/timeseries against LINQ over the same rows: dense periods, splits, cumulative sums. By announced_on a point
/// holds donations; by delivered_on, deliveries (instalments) on their own dates, within the delivered bounds, a
/// donation's value counting on its first instalment. This fixture's dates are all days.
/// </summary>
public sealed class StatsTimeseriesTests(SortFixture app) : IClassFixture<SortFixture>
{
    [Theory]
    [InlineData("month", null, false, "announced_on", "")]
    [InlineData("quarter", null, true, "announced_on", "")]
    [InlineData("year", "category", false, "announced_on", "")]
    [InlineData("month", "donor", true, "announced_on", "&donor=USA,DEU&from=2022-01-01&to=2023-06-30")]
    [InlineData("quarter", "status", false, "delivered_on", "")]
    [InlineData("month", null, false, "delivered_on", "&delivered_from=2022-03-01&delivered_to=2022-12-31")]
    public async Task Series_match_linq_over_the_same_rows(string interval, string? split, bool cumulative, string date, string filters)
    {
        var rows = date == "delivered_on" ? Instalments(await RowsAsync(filters), filters) : (await RowsAsync(filters)).Where(r => r[date] is not null).ToList();
        var url = $"/api/v1/stats/timeseries?interval={interval}&cumulative={cumulative.ToString().ToLowerInvariant()}&date={date}{filters}"
            + (split is null ? "" : $"&split={split}");

        var response = await app.Anonymous().GetJsonAsync<JsonObject>(url);

        var periods = response["periods"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal(periods.Distinct().Count(), periods.Count);
        Assert.Equal(periods.Order(StringComparer.Ordinal), periods);
        var series = response["series"]!.AsArray();
        var expectedKeys = split is null ? new List<string?> { null } : rows.Select(r => (string?)r[split]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedKeys, series.Select(s => s!["key"]?.GetValue<string>()));
        foreach (var one in series)
        {
            var key = one!["key"]?.GetValue<string>();
            var mine = rows.Where(r => key is null || r[split!]!.GetValue<string>() == key).ToList();
            var points = one["points"]!.AsArray();
            Assert.Equal(periods, points.Select(p => p!["period"]!.GetValue<string>()));
            long running = 0;
            decimal runningValue = 0;
            long runningDelivered = 0, runningPromised = 0;
            foreach (var point in points)
            {
                var inPeriod = mine.Where(r => Period(interval, r[date]!.GetValue<string>()) == point!["period"]!.GetValue<string>()).ToList();
                running = cumulative ? running + inPeriod.Count : inPeriod.Count;
                runningDelivered = (cumulative ? runningDelivered : 0) + inPeriod.Sum(r => Known(r) ? r["delivered_quantity"]?.GetValue<long>() ?? 0 : 0);
                runningPromised = (cumulative ? runningPromised : 0) + inPeriod.Sum(r => Known(r) ? r["quantity"]?.GetValue<long>() ?? 0 : 0);
                runningValue = (cumulative ? runningValue : 0) + inPeriod.Sum(r => r["value_eur"]?.GetValue<decimal>() ?? 0m);
                Assert.Equal(running, point!["count"]!.GetValue<long>());
                Assert.Equal(runningValue, point["value_eur"]!.GetValue<decimal>());
                if (date == "delivered_on") Assert.Equal(runningDelivered, point["quantity_delivered"]!.GetValue<long>());
                else Assert.Equal(runningPromised, point["quantity_promised"]!.GetValue<long>());
            }
            Assert.Equal(mine.Count, cumulative ? points[^1]!["count"]!.GetValue<long>() : points.Sum(p => p!["count"]!.GetValue<long>()));
        }
    }

    [Fact]
    public async Task Months_without_donations_appear_as_zero_within_the_requested_range()
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/timeseries?interval=month&from=2030-01-01&to=2030-03-31");

        var points = response["series"]![0]!["points"]!.AsArray();
        Assert.Equal(new[] { "2030-01", "2030-02", "2030-03" }, points.Select(p => p!["period"]!.GetValue<string>()));
        Assert.All(points, p => Assert.Equal(0, p!["count"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("interval=week", "interval")]
    [InlineData("split=year", "split")]
    [InlineData("date=created_at", "date")]
    [InlineData("cumulative=maybe", "cumulative")]
    [InlineData("from=1900-01-01&to=2026-01-01", "to")]
    [InlineData("group_by=donor", "group_by")]
    public async Task Bad_timeseries_queries_return_problem_naming_the_parameter(string query, string field)
    {
        await (await app.Anonymous().GetAsync($"/api/v1/stats/timeseries?{query}")).AssertProblemNamingAsync(field);
    }

    private static bool Known(JsonNode row) => row["quantity_qualifier"]!.GetValue<string>() is "exact" or "at_least";

    /// <summary>One row per delivery inside the delivered bounds: its date, quantity and qualifier, its donation's other fields, and its donation's value on the first instalment only.</summary>
    private static List<JsonNode> Instalments(List<JsonNode> rows, string filters)
    {
        var bounds = System.Web.HttpUtility.ParseQueryString(filters);
        var from = bounds["delivered_from"] ?? "0001-01-01";
        var to = bounds["delivered_to"] ?? "9999-12-31";
        return rows.SelectMany(row => row["deliveries"]!.AsArray().Select((delivery, i) =>
            {
                var instalment = row.DeepClone().AsObject();
                instalment["delivered_on"] = delivery!["delivered_on"]?.DeepClone();
                instalment["quantity_qualifier"] = delivery["quantity_qualifier"]!.DeepClone();
                instalment["delivered_quantity"] = delivery["quantity"]?.DeepClone();
                if (i > 0) instalment["value_eur"] = null;
                return (JsonNode)instalment;
            }))
            .Where(x => x["delivered_on"]?.GetValue<string>() is { } on && string.CompareOrdinal(on, from) >= 0 && string.CompareOrdinal(on, to) <= 0)
            .ToList();
    }

    private Task<List<JsonNode>> RowsAsync(string filters) => app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?limit=1000{filters}");

    private static string Period(string interval, string date)
    {
        var day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return interval switch
        {
            "year" => day.Year.ToString(CultureInfo.InvariantCulture),
            "quarter" => $"{day.Year}-Q{(day.Month - 1) / 3 + 1}",
            _ => $"{day.Year:D4}-{day.Month:D2}",
        };
    }
}
