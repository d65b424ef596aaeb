using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// Stats that donation_rollup answers give what the donations give for the same question: every measure, partial and
/// missing dates, approximate and undisclosed quantities, deliveries of each qualifier. <c>as_of</c> (the present)
/// makes the service read the donations, as of now, instead of the rollup.
/// </summary>
public sealed class StatsRollupPathTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static readonly string[] Questions =
    [
        "/api/v1/stats/totals?group_by=donor",
        "/api/v1/stats/totals?group_by=category,status&donor=POL,DEU",
        "/api/v1/stats/totals?group_by=year,recipient&sort=-quantity_delivered",
        "/api/v1/stats/totals?group_by=month&status=partially_delivered,announced&having_min_count=2",
        "/api/v1/stats/timeseries?interval=month",
        "/api/v1/stats/timeseries?interval=quarter&split=donor&cumulative=true",
        "/api/v1/stats/timeseries?interval=year&split=category&category=anti-tank",
    ];

    [Fact]
    public async Task An_answer_from_the_rollup_equals_the_same_question_asked_of_the_donations()
    {
        var editor = app.Editor();
        var dates = new[] { "2023-02-11", "2023-02", "2023", null, "2022-12-01" };
        var qualifiers = new (long? Quantity, string Qualifier)[] { (40, "exact"), (30, "at_least"), (25, "approximate"), (null, "undisclosed") };
        var donors = new[] { "POL", "DEU", "EST" };
        for (var i = 0; i < 30; i++)
        {
            var (quantity, qualifier) = qualifiers[i % 4];
            var body = Donations.Valid(donors[i % 3], "UKR", i % 2 == 0 ? "nlaw" : "m777")
                .With("announced_on", dates[i % 5]).With("quantity", quantity).With("quantity_qualifier", qualifier)
                .With("value_eur", i % 3 == 0 ? 12.5m * i : null);
            if (i % 4 < 2)
            {
                var deliveredQualifier = qualifiers[(i / 2) % 4].Qualifier;
                var instalment = Donations.NewDelivery("2024-01", 5)
                    .With("quantity", deliveredQualifier == "undisclosed" ? null : 5).With("quantity_qualifier", deliveredQualifier);
                body = body.With("status", "partially_delivered").With("deliveries", new JsonArray(instalment));
            }
            var response = await editor.PostAsync("/api/v1/donations", Http.Json(body));
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }
        await Task.Delay(10);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        await app.AssertDerivedTablesAreExactAsync();

        foreach (var url in Questions)
        {
            var fromRollup = await app.Anonymous().GetJsonAsync<JsonObject>(url);
            var fromDonations = await app.Anonymous().GetJsonAsync<JsonObject>($"{url}&as_of={now}");
            fromRollup.Remove("filters");
            fromDonations.Remove("filters");
            Assert.True(fromDonations.ToJsonString() == fromRollup.ToJsonString(), $"{url}\nrollup:    {fromRollup}\ndonations: {fromDonations}");
            Assert.True((fromRollup["total"]?["count"]?.GetValue<long>() ?? fromRollup["periods"]!.AsArray().Count) > 0, url);
        }
    }
}
