using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// Stats at the ends of the calendar (0001-01-01, 9999-12-31): a far bound is an open end, never a 500; a dense
/// series longer than a response holds is a problem naming the bound that stretched it.
/// </summary>
public sealed class StatsBoundaryDateTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>The requests that answered 500 (issue 14), and what each answers now.</summary>
    [Theory]
    [InlineData("/api/v1/stats/totals?group_by=donor&to=9999-12-31", 200)]
    [InlineData("/api/v1/stats/pledged-vs-delivered?to=9999-12-31", 200)]
    [InlineData("/api/v1/stats/timeseries?from=9999-12-01&to=9999-12-31", 200)]
    [InlineData("/api/v1/stats/timeseries?date=delivered_on&delivered_from=9999-12-01&delivered_to=9999-12-31", 200)]
    [InlineData("/api/v1/stats/timeseries?to=9999-12-31", 400)]
    [InlineData("/api/v1/stats/timeseries?from=0001-01-01&to=9999-12-31&interval=year", 400)]
    public async Task A_boundary_date_never_answers_500(string url, int status)
    {
        var response = await app.Anonymous().GetAsync(url);

        Assert.True((int)response.StatusCode == status, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/api/v1/stats/totals?group_by=donor", "&to=9999-12-31")]
    [InlineData("/api/v1/stats/totals?group_by=category,status", "&from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/v1/stats/pledged-vs-delivered?by=category", "&to=9999-12-31")]
    public async Task The_last_day_of_the_calendar_is_an_open_end(string url, string bounds)
    {
        var open = await app.Anonymous().GetJsonAsync<JsonObject>(url);

        var bounded = await app.Anonymous().GetJsonAsync<JsonObject>(url + bounds);

        Assert.Equal(open["items"]!.ToJsonString(), bounded["items"]!.ToJsonString());
        Assert.Equal("9999-12-31", bounded["filters"]!["to"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("from=9999-12-01&to=9999-12-31", "9999-12")]
    [InlineData("from=9999-10-01&to=9999-12-31&interval=quarter", "9999-Q4")]
    [InlineData("from=9999-01-01&to=9999-12-31&interval=year", "9999")]
    [InlineData("from=0001-01-01&to=0001-01-31", "0001-01")]
    [InlineData("date=delivered_on&delivered_from=9999-12-01&delivered_to=9999-12-31", "9999-12")]
    public async Task A_series_ending_in_the_last_period_of_the_calendar_lists_it(string query, string period)
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/timeseries?{query}");

        Assert.Equal([period], response["periods"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task The_longest_series_a_response_holds_reaches_the_last_year_of_the_calendar()
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/timeseries?from=8800-01-01&to=9999-12-31&interval=year");

        var periods = response["periods"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal(1200, periods.Count);
        Assert.Equal(("8800", "9999"), (periods[0], periods[^1]));
    }

    [Theory]
    [InlineData("to=9999-12-31", "to")]
    [InlineData("from=0001-01-01&to=9999-12-31&interval=year", "to")]
    [InlineData("from=8799-12-01&to=9999-12-31&interval=year", "to")]
    [InlineData("from=0001-01-01", "from")]
    [InlineData("date=delivered_on&delivered_from=0001-01-01&delivered_to=9999-12-31&interval=quarter", "delivered_to")]
    public async Task A_series_longer_than_a_response_holds_is_a_problem_naming_its_bound_and_the_limit(string query, string field)
    {
        var response = await app.Anonymous().GetAsync($"/api/v1/stats/timeseries?{query}");

        var problem = await response.AssertProblemNamingAsync(field);
        Assert.Contains("at most 1200 periods", problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
