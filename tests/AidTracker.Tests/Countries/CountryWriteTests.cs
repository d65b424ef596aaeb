using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Admin writes to reference data, in a class of their own so that the counts of the read tests see only the bundled data.</summary>
public sealed class CountryWriteTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Admin_adds_and_replaces_a_country_and_a_duplicate_is_409()
    {
        var admin = app.Admin();
        var body = new JsonObject { ["code"] = "OSCE", ["name"] = "Organization for Security and Co-operation in Europe", ["kind"] = "organisation" };

        var created = await admin.PostAsync("/api/v1/countries", Http.Json(body));
        var duplicate = await admin.PostAsync("/api/v1/countries", Http.Json(body));
        var replaced = await admin.PutAsync("/api/v1/countries/osce", Http.Json(body.With("name", "OSCE")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/countries/OSCE", created.Headers.Location!.OriginalString);
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("OSCE", (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/OSCE"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Renaming_a_country_and_a_weapon_system_renames_them_in_the_list_pages_and_exports_of_their_donations()
    {
        var admin = app.Admin();
        var country = new JsonObject { ["code"] = "QRN", ["name"] = "Old Name", ["kind"] = "state" };
        var weapon = new JsonObject { ["id"] = "rename-test", ["name"] = "Old Weapon", ["category"] = "anti-tank", ["sipri_category"] = null, ["unroca_category"] = null };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/countries", Http.Json(country))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/weapon-systems", Http.Json(weapon))).StatusCode);
        var posted = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid("QRN", "UKR", "rename-test")));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.ReadObjectAsync())["id"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/countries/QRN", Http.Json(country.With("name", "New Name")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/v1/weapon-systems/rename-test", Http.Json(weapon.With("name", "New Weapon").With("category", "manpads")))).StatusCode);

        var one = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        var listed = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=QRN"))["items"]!.AsArray().Single()!;
        var exported = JsonNode.Parse(await app.Anonymous().GetStringAsync("/api/v1/exports/donations.ndjson?donor=QRN"))!;
        Assert.Equal(("New Name", "New Weapon", "manpads"), (one["donor_name"]!.GetValue<string>(), one["weapon_system_name"]!.GetValue<string>(), one["category"]!.GetValue<string>()));
        Assert.Equal(one.ToJsonString(), listed.ToJsonString());
        Assert.Equal(one.ToJsonString(), exported.ToJsonString());
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task Admin_put_to_unknown_country_is_404_and_mismatched_code_is_400()
    {
        var body = new JsonObject { ["code"] = "QQQ", ["name"] = "Nowhere", ["kind"] = "state" };

        await (await app.Admin().PutAsync("/api/v1/countries/QQQ", Http.Json(body))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Admin().PutAsync("/api/v1/countries/POL", Http.Json(body))).AssertProblemNamingAsync("code");
    }

    [Theory]
    [InlineData("""{"code":"Q1","name":"x","kind":"state"}""", "code")]
    [InlineData("""{"code":"QQQ","name":"","kind":"state"}""", "name")]
    [InlineData("""{"code":"QQQ","name":"x","kind":"empire"}""", "kind")]
    [InlineData("""{"code":"QQQ","name":"x","kind":"state","iso2":"QQQ"}""", "iso2")]
    [InlineData("""{"code":"QQQ","name":"x"}""", "kind")]
    public async Task Admin_post_with_bad_country_returns_problem_naming_the_field(string json, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(json))).AssertProblemNamingAsync(field);
    }
}
