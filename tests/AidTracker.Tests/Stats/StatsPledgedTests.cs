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
        var rows = (await app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?limit=1000{filters}"))
            .Where(r => r["status"]!.GetValue<string>() != "cancelled").ToList();

        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/pledged-vs-delivered?by={by}{filters}");

        var items = response["items"]!.AsArray();
        Assert.Equal(rows.Select(r => r[by]!.GetValue<string>()).Distinct().Count(), items.Count);
        foreach (var item in items)
        {
            var mine = rows.Where(r => r[by]!.GetValue<string>() == item!["key"]!.GetValue<string>()).ToList();
            var outstanding = mine.Where(r => r["status"]!.GetValue<string>() is "announced" or "committed").ToList();
            var delivered = mine.Where(r => r["status"]!.GetValue<string>() is "partially_delivered" or "delivered").ToList();
            var compared = mine.Where(r => Known(r) && r["deliveries"]!.AsArray().All(Known)).ToList();
            Assert.Equal(outstanding.Count, item!["outstanding_count"]!.GetValue<long>());
            Assert.Equal(delivered.Count, item["delivered_count"]!.GetValue<long>());
            Assert.Equal(Math.Round((double)delivered.Count / mine.Count, 6), item["delivery_ratio_count"]!.GetValue<double>());
            Assert.Equal(compared.Count, item["compared_count"]!.GetValue<long>());
            Assert.Equal(compared.Count(r => AtLeast(r) || r["deliveries"]!.AsArray().Any(AtLeast)), item["compared_includes_at_least"]!.GetValue<long>());
            Assert.Equal(compared.Sum(r => r["quantity"]!.GetValue<long>()), item["quantity_promised"]!.GetValue<long>());
            Assert.Equal(compared.Sum(r => r["deliveries"]!.AsArray().Sum(x => x!["quantity"]!.GetValue<long>())), item["quantity_delivered"]!.GetValue<long>());
            var leftOut = item["left_out"]!;
            Assert.Equal(mine.Count - compared.Count, leftOut.AsObject().Sum(reason => reason.Value!.GetValue<long>()));
            Assert.Equal(mine.Count(r => Qualifier(r) == "approximate"), leftOut["promised_approximate"]!.GetValue<long>());
            Assert.Equal(mine.Count(r => Qualifier(r) == "undisclosed"), leftOut["promised_undisclosed"]!.GetValue<long>());
        }
        Assert.Equal(rows.Count, response["total"]!["outstanding_count"]!.GetValue<long>() + response["total"]!["delivered_count"]!.GetValue<long>());
        if (by == "donor") Assert.All(items, item => Assert.False(string.IsNullOrEmpty(item!["name"]?.GetValue<string>())));
    }

    private static string Qualifier(JsonNode? row) => row!["quantity_qualifier"]!.GetValue<string>();

    private static bool Known(JsonNode? row) => Qualifier(row) is "exact" or "at_least";

    private static bool AtLeast(JsonNode? row) => Qualifier(row) == "at_least";

    [Fact]
    public async Task Bad_grouping_returns_problem_naming_by()
    {
        await (await app.Anonymous().GetAsync("/api/v1/stats/pledged-vs-delivered?by=month")).AssertProblemNamingAsync("by");
    }
}

/// <summary>Norway's rows: four outstanding (two undisclosed), two delivered (one undisclosed), one cancelled.</summary>
public sealed class UndisclosedFixture : ApiFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (string Status, long? Quantity, string Qualifier)[] rows =
        [
            ("committed", 30, "exact"), ("committed", null, "undisclosed"), ("committed", null, "undisclosed"), ("announced", 5, "at_least"),
            ("delivered", 10, "exact"), ("delivered", null, "undisclosed"), ("cancelled", 100, "exact"),
        ];
        foreach (var (status, quantity, qualifier) in rows)
        {
            var body = Donations.Valid(donor: "NOR").With("status", status).With("quantity", quantity).With("quantity_qualifier", qualifier);
            if (status == "delivered") body = body.With("deliveries", new JsonArray(Donations.NewDelivery().With("quantity", quantity).With("quantity_qualifier", qualifier)));
            var response = await Editor().PostAsync("/api/v1/donations", Http.Json(body));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}

/// <summary>Pledged-vs-delivered over a donor whose rows are partly undisclosed: the ratio is over the records whose promised and delivered quantities are both known, and it says how many it left out and why.</summary>
public sealed class StatsPledgedUndisclosedTests(UndisclosedFixture app) : IClassFixture<UndisclosedFixture>
{
    /// <summary>Unfiltered, and with a weapon system filter.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("&weapon_system=fgm-148-javelin")]
    public async Task The_quantity_ratio_compares_known_promised_with_known_delivered_and_counts_what_it_left_out(string filter)
    {
        var response = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/pledged-vs-delivered?by=donor&donor=NOR{filter}");

        var norway = Assert.Single(response["items"]!.AsArray())!;
        Assert.Equal((4L, 2L), (norway["outstanding_count"]!.GetValue<long>(), norway["delivered_count"]!.GetValue<long>()));
        // Compared: 30 and 5 (at least) promised, none delivered yet; 10 promised and 10 delivered.
        Assert.Equal((3L, 1L), (norway["compared_count"]!.GetValue<long>(), norway["compared_includes_at_least"]!.GetValue<long>()));
        Assert.Equal((45L, 10L), (norway["quantity_promised"]!.GetValue<long>(), norway["quantity_delivered"]!.GetValue<long>()));
        Assert.Equal(Math.Round(10.0 / 45, 6), norway["delivery_ratio_quantity"]!.GetValue<double>());
        Assert.Equal(3, norway["left_out"]!["promised_undisclosed"]!.GetValue<long>());
        Assert.Equal(3, response["total"]!["left_out"]!["promised_undisclosed"]!.GetValue<long>());
    }
}
