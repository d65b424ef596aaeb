using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class DonationSearchTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<long> CreateAsync(JsonObject body)
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadObjectAsync())["id"]!.GetValue<long>();
    }

    private async Task<long[]> SearchAsync(string query) =>
        (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations?limit=1000&{query}"))["items"]!.AsArray()
            .Select(item => item!["id"]!.GetValue<long>()).ToArray();

    [Fact]
    public async Task Q_finds_words_in_weapon_name_source_and_notes_with_prefixes_phrases_any_case_and_any_accents()
    {
        var javelin = await CreateAsync(Donations.Valid("NOR", "UKR", "fgm-148-javelin").With("notes", "Delivered with spare parts via Rzeszów"));
        var gepard = await CreateAsync(Donations.Valid("NOR", "UKR", "gepard").With("evidence", new JsonArray(Donations.Evidence(quote: "Bundestag answer on Flakpanzer deliveries"))));

        Assert.Contains(javelin, await SearchAsync("q=javelin"));
        Assert.Contains(javelin, await SearchAsync("q=JAV*"));
        Assert.Contains(javelin, await SearchAsync("q=%22spare%20parts%22"));
        Assert.Contains(javelin, await SearchAsync("q=rzeszow"));
        Assert.Contains(javelin, await SearchAsync("q=j%C3%A2velin")); // jâvelin: accents in the query are ignored too
        Assert.Contains(javelin, await SearchAsync("q=RZESZ%C3%93W")); // RZESZÓW: and so is the case of an accented letter
        Assert.DoesNotContain(javelin, await SearchAsync("q=%22parts%20spare%22"));
        Assert.Equal(new[] { gepard }, await SearchAsync("q=bundestag%20gepard&donor=NOR"));
        Assert.Empty(await SearchAsync("q=bundestag%20javelin&donor=NOR"));
    }

    [Fact]
    public async Task Q_follows_updates_and_deletes()
    {
        var id = await CreateAsync(Donations.Valid("ISL", "UKR").With("notes", "first wording wombat"));
        var etag = (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).Headers.ETag!.Tag;

        var updated = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid("ISL", "UKR").With("notes", "second wording platypus")), etag);
        Assert.Empty(await SearchAsync("q=wombat"));
        Assert.Equal(new[] { id }, await SearchAsync("q=platypus"));

        await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: updated.Headers.ETag!.Tag);
        Assert.Empty(await SearchAsync("q=platypus"));
    }

    [Fact]
    public async Task Q_follows_a_renamed_weapon_system()
    {
        var admin = app.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/weapon-systems", Http.Json("""{"id":"test-launcher","name":"Quokka launcher","category":"other"}"""))).StatusCode);
        var id = await CreateAsync(Donations.Valid("LUX", "UKR", "test-launcher"));
        Assert.Equal(new[] { id }, await SearchAsync("q=quokka"));

        await admin.PutAsync("/api/v1/weapon-systems/test-launcher", Http.Json("""{"id":"test-launcher","name":"Numbat launcher","category":"other"}"""));

        Assert.Empty(await SearchAsync("q=quokka"));
        Assert.Equal(new[] { id }, await SearchAsync("q=numbat"));
    }

    [Fact]
    public async Task Q_finds_a_weapon_system_by_its_aliases_and_follows_them_when_they_change()
    {
        var admin = app.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/weapon-systems", Http.Json("""{"id":"test-mortar","name":"Bilby mortar","category":"artillery","aliases":["Wallaroos","M-1234"]}"""))).StatusCode);
        var id = await CreateAsync(Donations.Valid("LUX", "UKR", "test-mortar"));
        Assert.Equal(new[] { id }, await SearchAsync("q=wallaroos"));
        Assert.Equal(new[] { id }, await SearchAsync("q=m-1234"));

        await admin.PutAsync("/api/v1/weapon-systems/test-mortar", Http.Json("""{"id":"test-mortar","name":"Bilby mortar","category":"artillery","aliases":["Pademelons"]}"""));

        Assert.Empty(await SearchAsync("q=wallaroos"));
        Assert.Equal(new[] { id }, await SearchAsync("q=pademelons"));
        Assert.Contains(3L, await SearchAsync("q=stingers")); // the bundled catalogue's plural: Poland's Stinger (row 3)
    }

    [Theory]
    [InlineData("NEAR(")]
    [InlineData("a OR")]
    [InlineData("AND")]
    [InlineData("NOT javelin")]
    [InlineData("*")]
    [InlineData("^javelin")]
    [InlineData("source:javelin")]
    [InlineData("(javelin")]
    [InlineData("javelin)")]
    [InlineData("\"\"")]
    [InlineData("'; DROP TABLE donations; --")]
    [InlineData("-javelin")]
    [InlineData("java**")]
    [InlineData("{javelin}")]
    [InlineData("💥 ünïcödé")]
    [InlineData("\u0000")]
    public async Task Q_with_fts_metacharacters_never_fails_with_500(string q)
    {
        var response = await app.Anonymous().GetAsync($"/api/v1/donations?q={Uri.EscapeDataString(q)}");

        if (response.StatusCode != HttpStatusCode.OK) await response.AssertProblemNamingAsync("q");
    }

    [Theory]
    [InlineData("\"unclosed")]
    [InlineData("!!!")]
    [InlineData("")]
    public async Task Q_that_cannot_be_searched_returns_problem_naming_q(string q)
    {
        await (await app.Anonymous().GetAsync($"/api/v1/donations?q={Uri.EscapeDataString(q)}")).AssertProblemNamingAsync("q");
    }

    [Theory]
    [InlineData("id")]
    [InlineData("-id")]
    [InlineData("-announced_on")]
    [InlineData("quantity,-id")]
    public async Task A_search_walked_page_by_page_finds_what_one_page_finds_in_the_same_order(string sort)
    {
        for (var i = 0; i < 12; i++)
        {
            await CreateAsync(Donations.Valid("ISL", "UKR").With("notes", $"Winter kit batch {i}").With("quantity", 10 + (i % 4)));
        }
        await CreateAsync(Donations.Valid("ISL", "UKR").With("notes", "Summer kit"));

        var whole = await SearchAsync($"q=winter%20kit&sort={sort}");
        var walked = (await app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?q=winter%20kit&sort={sort}&limit=5"))
            .Select(item => item!["id"]!.GetValue<long>()).ToArray();

        Assert.True(whole.Length >= 12);
        Assert.Equal(whole, walked);
        if (sort == "id") Assert.Equal(whole.Order(), whole);
        if (sort == "-id") Assert.Equal(whole.OrderDescending(), whole);
    }

    [Fact]
    public async Task Q_longer_than_200_characters_is_refused()
    {
        await (await app.Anonymous().GetAsync($"/api/v1/donations?q={new string('a', 201)}")).AssertProblemNamingAsync("q");
    }

    [Fact]
    public async Task Delivered_from_and_to_filter_on_delivered_on_and_leave_out_undelivered_rows()
    {
        var early = await CreateAsync(Donations.Valid("MLT", "UKR").With("status", "delivered").With("deliveries", new JsonArray(Donations.NewDelivery("2022-05"))));
        var late = await CreateAsync(Donations.Valid("MLT", "UKR").With("status", "partially_delivered").With("deliveries", new JsonArray(Donations.NewDelivery("2023-05-01"))));
        var whole2022 = await CreateAsync(Donations.Valid("MLT", "UKR").With("announced_on", "2021").With("status", "delivered").With("deliveries", new JsonArray(Donations.NewDelivery("2022"))));
        await CreateAsync(Donations.Valid("MLT", "UKR"));

        Assert.Equal(new[] { early, whole2022 }, await SearchAsync("donor=MLT&delivered_to=2022-12-31"));
        Assert.Equal(new[] { late }, await SearchAsync("donor=MLT&delivered_from=2023-01-01"));
        Assert.Equal(new[] { early, late, whole2022 }, await SearchAsync("donor=MLT&delivered_from=2022-01-01"));
        // A month or a year is kept only when it lies wholly inside the range.
        Assert.Equal(new[] { early }, await SearchAsync("donor=MLT&delivered_from=2022-05-01&delivered_to=2022-05-31"));
        Assert.Empty(await SearchAsync("donor=MLT&delivered_from=2022-05-02&delivered_to=2022-12-31"));
        await (await app.Anonymous().GetAsync("/api/v1/donations?delivered_from=2023-01-01&delivered_to=2022-01-01")).AssertProblemNamingAsync("delivered_to");
        await (await app.Anonymous().GetAsync("/api/v1/donations?delivered_from=soon")).AssertProblemNamingAsync("delivered_from");
    }
}
