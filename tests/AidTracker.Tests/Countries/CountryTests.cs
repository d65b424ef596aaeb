using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class CountryTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Countries_list_every_iso_3166_entry_plus_eu_and_nato_with_membership_flags()
    {
        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries"))["items"]!.AsArray();
        JsonNode Find(string code) => items.Single(i => i!["code"]!.GetValue<string>() == code)!;

        Assert.Equal(249 + 2, items.Count);
        Assert.Equal(249, items.Count(i => i!["kind"]!.GetValue<string>() == "state"));
        Assert.Equal(27, items.Count(i => i!["eu_member"]!.GetValue<bool>()));
        Assert.Equal(32, items.Count(i => i!["nato_member"]!.GetValue<bool>()));
        Assert.Equal("PL", Find("POL")["iso2"]!.GetValue<string>());
        Assert.True(Find("POL")["eu_member"]!.GetValue<bool>() && Find("POL")["nato_member"]!.GetValue<bool>());
        Assert.False(Find("UKR")["eu_member"]!.GetValue<bool>() || Find("UKR")["nato_member"]!.GetValue<bool>());
        Assert.True(Find("NOR")["nato_member"]!.GetValue<bool>() && !Find("NOR")["eu_member"]!.GetValue<bool>());
        Assert.Equal("organisation", Find("EU")["kind"]!.GetValue<string>());
        Assert.Equal("organisation", Find("NATO")["kind"]!.GetValue<string>());
        Assert.Null(Find("NATO")["iso2"]);
    }

    [Fact]
    public async Task Country_by_code_accepts_any_case_and_unknown_code_is_404()
    {
        var country = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/cze");

        Assert.Equal("CZE", country["code"]!.GetValue<string>());
        Assert.Equal("Czechia", country["name"]!.GetValue<string>());
        await (await app.Anonymous().GetAsync("/api/v1/countries/XYZ")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
