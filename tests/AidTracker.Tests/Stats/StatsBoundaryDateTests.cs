using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// The seed's twelve undated donations, and dated ones beside them: two known to the day (one delivered in 2022-05),
/// one known only to the year 2022.
/// </summary>
public sealed class DatedFixture : ApiFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        JsonObject[] bodies =
        [
            Donations.Valid("POL").With("announced_on", "2022-03-06"),
            Donations.Valid("DEU").With("announced_on", "2022-04-01").With("status", "delivered").With("deliveries", new JsonArray(Donations.NewDelivery("2022-05-01", 100))),
            Donations.Valid("EST").With("announced_on", "2022"),
        ];
        foreach (var body in bodies)
        {
            var response = await Editor().PostAsync("/api/v1/donations", Http.Json(body));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}

/// <summary>
/// Stats at the ends of the calendar (0001-01-01, 9999-12-31): a far bound keeps every dated record and is never a
/// 500; undated records are left out by a bound and counted apart by a series; a dense series longer than a response
/// holds is a problem naming the bound that stretched it.
/// </summary>
public sealed class StatsBoundaryDateTests(DatedFixture app) : IClassFixture<DatedFixture>
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

    /// <summary>
    /// to=9999-12-31 keeps every dated record (a record is kept when its date lies wholly before the bound); it leaves
    /// out the undated ones, as every date filter does, and nothing else.
    /// </summary>
    [Theory]
    [InlineData("/api/v1/stats/totals?group_by=donor", "&to=9999-12-31")]
    [InlineData("/api/v1/stats/totals?group_by=category,status", "&from=0001-01-01&to=9999-12-31")]
    [InlineData("/api/v1/stats/pledged-vs-delivered?by=category", "&to=9999-12-31")]
    public async Task The_last_day_of_the_calendar_keeps_every_dated_record_and_only_those(string url, string bounds)
    {
        var rows = (await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?limit=1000"))
            .Where(r => !url.Contains("pledged", StringComparison.Ordinal) || r["status"]!.GetValue<string>() != "cancelled").ToList();
        var dated = rows.Count(r => r["announced_on"] is not null);
        Assert.InRange(dated, 1, rows.Count - 1);

        var open = await app.Anonymous().GetJsonAsync<JsonObject>(url);
        var bounded = await app.Anonymous().GetJsonAsync<JsonObject>(url + bounds);

        Assert.Equal((rows.Count, dated), (Count(open), Count(bounded)));
        Assert.Equal("9999-12-31", bounded["filters"]!["to"]!.GetValue<string>());
    }

    private static long Count(JsonObject response) => response["total"]!["count"] is { } count
        ? count.GetValue<long>()
        : response["total"]!["outstanding_count"]!.GetValue<long>() + response["total"]!["delivered_count"]!.GetValue<long>();

    /// <summary>
    /// A monthly series places the day-dated records, and leaves apart the one known to its year and the undated ones;
    /// a yearly series places the year. Split, what is left apart is counted once for all the series.
    /// </summary>
    [Theory]
    [InlineData("month", "", 2, 1)]
    [InlineData("year", "", 3, 0)]
    [InlineData("month", "&split=donor", 2, 1)]
    public async Task A_series_leaves_apart_what_it_cannot_place_and_counts_it(string interval, string split, long placed, long coarser)
    {
        var rows = await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?limit=1000");

        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/timeseries?interval={interval}{split}");

        var points = response["series"]!.AsArray().SelectMany(series => series!["points"]!.AsArray()).ToList();
        Assert.Equal(placed, points.Sum(p => p!["count"]!.GetValue<long>()));
        var apart = response["left_apart"]!.AsArray().ToDictionary(a => a!["reason"]!.GetValue<string>(), a => a!["count"]!.GetValue<long>());
        Assert.Equal(coarser, apart["coarser_than_interval"]);
        Assert.Equal(rows.Count(r => r["announced_on"] is null), apart["undated"]);
        Assert.Equal(rows.Count, placed + coarser + apart["undated"]);
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
