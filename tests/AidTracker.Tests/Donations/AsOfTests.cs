using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>as_of answers lists, stats and exports from history: each row as it was at that moment.</summary>
public sealed class AsOfTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    // Liechtenstein gives nothing in the bundled records, so its rows are the test's own.
    private const string Donor = "LIE";

    private async Task<JsonObject> CreateAsync(int quantity)
    {
        var body = Donations.Valid(donor: Donor, weaponSystem: "nlaw");
        body["quantity"] = quantity;
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.ReadObjectAsync();
    }

    private async Task<List<(long Id, long? Quantity, string DonorName)>> ListAsync(string? asOf)
    {
        var query = asOf is null ? "" : $"&as_of={Uri.EscapeDataString(asOf)}";
        var items = await app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?donor={Donor}&limit=2{query}");
        return items.Select(i => (i["id"]!.GetValue<long>(), i["quantity"]?.GetValue<long?>(), i["donor_name"]!.GetValue<string>())).ToList();
    }

    private static string Stamp(JsonObject donation) => donation["updated_at"]!.GetValue<string>();

    private static DateTimeOffset Moment(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Each_moment_reads_rows_as_they_were_with_deleted_rows_until_their_deletion()
    {
        Assert.Empty(await ListAsync(null));
        var first = await CreateAsync(10);
        var id = first["id"]!.GetValue<long>();
        var afterCreate = Stamp(first);

        var body = Donations.Valid(donor: Donor, weaponSystem: "nlaw");
        body["quantity"] = 20;
        var put = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(body), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var afterUpdate = Stamp(await put.ReadObjectAsync());
        var second = await CreateAsync(5);
        var afterSecond = Stamp(second);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: "\"2\"")).StatusCode);

        Assert.Equal([(id, 10L, "Liechtenstein")], await ListAsync(afterCreate));
        Assert.Equal([(id, 20L, "Liechtenstein")], await ListAsync(afterUpdate));
        Assert.Equal([(id, 20L, "Liechtenstein"), (second["id"]!.GetValue<long>(), 5L, "Liechtenstein")], await ListAsync(afterSecond));
        Assert.Equal([(second["id"]!.GetValue<long>(), 5L, "Liechtenstein")], await ListAsync(null));
        // A moment in another offset is the same moment.
        var local = Moment(afterCreate).ToOffset(TimeSpan.FromHours(2));
        Assert.Equal([(id, 10L, "Liechtenstein")], await ListAsync(local.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)));

        var totals = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/totals?donor={Donor}&group_by=donor&as_of={Uri.EscapeDataString(afterUpdate)}");
        Assert.Equal(20, totals["total"]!["quantity"]!.GetValue<long>());
        Assert.Equal(Moment(afterUpdate), Moment(totals["filters"]!["as_of"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Names_and_categories_are_read_as_they_were()
    {
        var donation = await CreateAsync(1);
        var before = Stamp(donation);
        var country = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/countries/{Donor}");
        country["name"] = "Principality of Liechtenstein";
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PutAsync($"/api/v1/countries/{Donor}", Http.Json(country))).StatusCode);
        var weapon = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/nlaw");
        var category = weapon["category"]!.GetValue<string>();
        weapon["category"] = "other";
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PutAsync("/api/v1/weapon-systems/nlaw", Http.Json(weapon))).StatusCode);
        try
        {
            var then = (await ListAsync(before)).Single(r => r.Id == donation["id"]!.GetValue<long>());
            var now = (await ListAsync(null)).Single(r => r.Id == donation["id"]!.GetValue<long>());
            Assert.Equal("Liechtenstein", then.DonorName);
            Assert.Equal("Principality of Liechtenstein", now.DonorName);

            var byCategoryThen = await app.Anonymous().GetJsonAsync<JsonObject>(
                $"/api/v1/stats/totals?donor={Donor}&group_by=category&as_of={Uri.EscapeDataString(before)}");
            Assert.Equal([category], byCategoryThen["items"]!.AsArray().Select(g => g!["category"]!.GetValue<string>()));
        }
        finally
        {
            weapon["category"] = category;
            await app.Admin().PutAsync("/api/v1/weapon-systems/nlaw", Http.Json(weapon));
            country["name"] = "Liechtenstein";
            await app.Admin().PutAsync($"/api/v1/countries/{Donor}", Http.Json(country));
        }
    }

    [Theory]
    [InlineData("as_of=2024-01-01", "as_of")]
    [InlineData("as_of=2024-01-01T00:00:00", "as_of")]
    [InlineData("as_of=yesterday", "as_of")]
    [InlineData("as_of=2999-01-01T00:00:00Z", "as_of")]
    [InlineData("release=no-such-release", "release")]
    [InlineData("release=x&as_of=2024-01-01T00:00:00Z", "release")]
    [InlineData("q=javelin&as_of=2024-01-01T00:00:00Z", "q")]
    public async Task A_bad_moment_is_a_problem_naming_its_field_on_every_read(string query, string field)
    {
        foreach (var path in new[] { "/api/v1/donations", "/api/v1/stats/totals", "/api/v1/stats/timeseries", "/api/v1/exports/donations.csv" })
        {
            await (await app.Anonymous().GetAsync($"{path}?{query}")).AssertProblemNamingAsync(field);
        }
    }

    [Fact]
    public async Task A_moment_before_any_change_has_no_rows()
    {
        var export = await app.Anonymous().GetAsync("/api/v1/exports/donations.csv?as_of=2000-01-01T00:00:00Z");
        Assert.Equal("0", export.Headers.GetValues("AidTracker-Row-Count").Single());
        Assert.Equal("2000-01-01T00:00:00.0000000Z", export.Headers.GetValues("AidTracker-As-Of").Single());
        Assert.Empty((await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?as_of=2000-01-01T00:00:00Z"))["items"]!.AsArray());
    }
}
