using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Admin writes to reference data, in a class of their own so that the counts of the read tests see only the bundled data.</summary>
public sealed class WeaponSystemWriteTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Admin_adds_and_replaces_a_weapon_system()
    {
        var body = new JsonObject { ["id"] = "brimstone", ["name"] = "Brimstone", ["category"] = "anti-tank", ["sipri_category"] = "Missiles", ["unroca_category"] = null };

        var created = await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(body));
        var duplicate = await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(body));
        var replaced = await app.Admin().PutAsync("/api/v1/weapon-systems/brimstone", Http.Json(body.With("description", "Air-launched missile.")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        await (await app.Admin().PutAsync("/api/v1/weapon-systems/nothing", Http.Json(body.With("id", "nothing")))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_code_unknown_to_a_filter_is_known_once_admin_adds_it()
    {
        // Found codes are remembered between requests; this proves an unknown one is not.
        await (await app.Anonymous().GetAsync("/api/v1/donations?donor=KFOR&weapon_system=caesar-mk2")).AssertProblemNamingAsync("donor");
        await (await app.Anonymous().GetAsync("/api/v1/donations?donor=KFOR&weapon_system=caesar-mk2")).AssertProblemNamingAsync("weapon_system");

        var country = await app.Admin().PostAsync("/api/v1/countries", Http.Json(new JsonObject { ["code"] = "KFOR", ["name"] = "Kosovo Force", ["kind"] = "organisation" }));
        var weapon = await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(new JsonObject { ["id"] = "caesar-mk2", ["name"] = "CAESAR Mk II", ["category"] = "artillery" }));
        Assert.Equal(HttpStatusCode.Created, country.StatusCode);
        Assert.Equal(HttpStatusCode.Created, weapon.StatusCode);

        var page = await app.Anonymous().GetAsync("/api/v1/donations?donor=KFOR&weapon_system=caesar-mk2");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("""{"id":"Bad Id","name":"x","category":"tank"}""", "id")]
    [InlineData("""{"id":"x","name":"x","category":"lasers"}""", "category")]
    [InlineData("""{"id":"x","name":"x","category":"tank","sipri_category":"Tanks"}""", "sipri_category")]
    [InlineData("""{"id":"x","name":"x","category":"tank","unroca_category":"IX"}""", "unroca_category")]
    public async Task Admin_post_with_bad_weapon_system_returns_problem_naming_the_field(string json, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(json))).AssertProblemNamingAsync(field);
    }
}
