using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Packages over the same versioned-record machinery as sources: what is their own (donor, money, instrument, filters).</summary>
public sealed class PackageTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    public static JsonObject Valid(string donor = "USA", string title = "Presidential Drawdown 1") => new()
    {
        ["donor"] = donor,
        ["title"] = title,
        ["instrument"] = "stockpile_drawdown",
    };

    private async Task<(long Id, string ETag, JsonObject Body)> CreateAsync(JsonObject body)
    {
        var response = await app.Editor().PostAsync("/api/v1/packages", Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadObjectAsync();
        return (created["id"]!.GetValue<long>(), response.Headers.ETag!.Tag, created);
    }

    [Fact]
    public async Task Post_keeps_the_donor_upper_case_the_money_exact_and_the_date_as_precise_as_given()
    {
        var (id, _, body) = await CreateAsync(Valid(donor: "deu").With("announced_on", "2023-05").With("value_amount", 2700000000.5m).With("value_currency", "eur"));

        Assert.Equal("DEU", body["donor"]!.GetValue<string>());
        Assert.Equal("2023-05", body["announced_on"]!.GetValue<string>());
        Assert.Equal(2700000000.5m, body["value_amount"]!.GetValue<decimal>());
        Assert.Equal("EUR", body["value_currency"]!.GetValue<string>());
        var fetched = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/packages/{id}");
        Assert.Equal(body.ToJsonString(), fetched!.ToJsonString());
    }

    [Fact]
    public async Task A_package_without_a_date_or_value_has_nulls_there()
    {
        var (_, _, body) = await CreateAsync(Valid());

        Assert.Null(body["announced_on"]);
        Assert.Null(body["value_amount"]);
        Assert.Null(body["value_currency"]);
    }

    [Theory]
    [InlineData("donor", "XXX")]
    [InlineData("donor", "1")]
    [InlineData("instrument", "gift")]
    [InlineData("announced_on", "2023-5")]
    [InlineData("title", "")]
    [InlineData("value_currency", "EURO")]
    public async Task A_bad_field_is_a_problem_naming_it(string field, string value)
    {
        var response = await app.Editor().PostAsync("/api/v1/packages", Http.Json(Valid().With(field, value)));

        await response.AssertProblemNamingAsync(field);
    }

    [Fact]
    public async Task An_amount_with_more_decimals_than_its_currency_allows_is_refused()
    {
        var response = await app.Editor().PostAsync("/api/v1/packages", Http.Json(Valid().With("value_amount", 1.5m).With("value_currency", "JPY")));

        await response.AssertProblemNamingAsync("value_amount");
    }

    [Fact]
    public async Task Put_and_delete_need_if_match_and_history_keeps_every_version()
    {
        var (id, etag, _) = await CreateAsync(Valid());
        var editor = app.Editor();

        await (await editor.SendAsync(HttpMethod.Put, $"/api/v1/packages/{id}", Http.Json(Valid(title: "PDA 2")))).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        var updated = await editor.SendAsync(HttpMethod.Put, $"/api/v1/packages/{id}", Http.Json(Valid(title: "PDA 2")), etag);
        await (await editor.SendAsync(HttpMethod.Delete, $"/api/v1/packages/{id}", ifMatch: etag)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var deleted = await editor.SendAsync(HttpMethod.Delete, $"/api/v1/packages/{id}", ifMatch: updated.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await app.Anonymous().GetAsync($"/api/v1/packages/{id}")).AssertProblemAsync(HttpStatusCode.Gone);
        var history = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/packages/{id}/history");
        var items = history!["items"]!.AsArray();
        Assert.Equal(["create", "update", "delete"], items.Select(i => i!["operation"]!.GetValue<string>()));
        Assert.Equal("PDA 2", items[1]!["record"]!["title"]!.GetValue<string>());
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i!["request_id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task The_list_filters_by_donor_instrument_dates_and_text()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(Valid(donor: "POL", title: $"Pakiet {marker} wsparcia").With("instrument", "procurement").With("announced_on", "2022-04-02"));
        await CreateAsync(Valid(donor: "POL", title: $"Zweites Paket {marker}").With("announced_on", "2022").With("notes", "Übergabe im Mai"));
        await CreateAsync(Valid(donor: "NLD", title: $"Pakket {marker}").With("instrument", "ring_exchange"));

        async Task<List<string>> Titles(string query) =>
            [.. (await app.Anonymous().ReadAllPagesAsync($"/api/v1/packages?q={marker}&{query}")).Select(i => i["title"]!.GetValue<string>())];

        Assert.Equal(2, (await Titles("donor=pol")).Count);
        Assert.Equal([$"Pakket {marker}"], await Titles("instrument=RING_EXCHANGE"));
        Assert.Equal([$"Pakiet {marker} wsparcia"], await Titles("announced_on_from=2022-04&announced_on_to=2022-04"));
        Assert.Equal(2, (await Titles("announced_on_from=2022&announced_on_to=2022")).Count);
        Assert.Contains($"Zweites Paket {marker}", (await app.Anonymous().ReadAllPagesAsync("/api/v1/packages?q=UBERGABE")).Select(i => i["title"]!.GetValue<string>()));
        // -donor: POL before NLD; then title ascending, which runs the other way, as the keyset must.
        Assert.Equal([$"Pakiet {marker} wsparcia", $"Zweites Paket {marker}", $"Pakket {marker}"], await Titles("sort=-donor,title&limit=1"));
    }

    [Theory]
    [InlineData("donor=ZZZ", "donor")]
    [InlineData("donor=P0L", "donor")]
    [InlineData("instrument=gift", "instrument")]
    [InlineData("announced_on_from=22", "announced_on_from")]
    [InlineData("source=1", "source")]
    [InlineData("sort=notes", "sort")]
    public async Task An_unknown_parameter_or_malformed_value_is_a_400_naming_it(string query, string parameter)
    {
        var response = await app.Anonymous().GetAsync($"/api/v1/packages?{query}");

        await response.AssertProblemNamingAsync(parameter);
    }
}
