using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class ReferenceDataTests(ApiFixture app) : IClassFixture<ApiFixture>
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

    [Fact]
    public async Task Weapon_catalogue_has_the_named_systems_and_the_generic_entries_with_their_registers()
    {
        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems"))["items"]!.AsArray();
        var ids = items.Select(i => i!["id"]!.GetValue<string>()).ToHashSet();

        Assert.True(items.Count >= 40, $"{items.Count} entries");
        Assert.Superset(new HashSet<string>
        {
            "fgm-148-javelin", "fim-92-stinger", "nlaw", "panzerfaust-3", "at4", "piorun", "9k32-strela-2", "m142-himars", "m777",
            "pzh-2000", "caesar", "gepard", "t-72", "bayraktar-tb2", "machine-gun", "sniper-rifle", "pistol", "small-arms-ammunition",
            "rocket-launcher-unspecified", "weapons-unspecified",
        }, ids);
        var stinger = items.Single(i => i!["id"]!.GetValue<string>() == "fim-92-stinger")!;
        Assert.Equal("manpads", stinger["category"]!.GetValue<string>());
        Assert.Equal("VII(b)", stinger["unroca_category"]!.GetValue<string>());
        Assert.Equal("Missiles", stinger["sipri_category"]!.GetValue<string>());
        Assert.Null(items.Single(i => i!["id"]!.GetValue<string>() == "pistol")!["sipri_category"]);
    }

    [Fact]
    public async Task Weapon_systems_filter_by_category()
    {
        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems?category=manpads,tank"))["items"]!.AsArray();

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Contains(i!["category"]!.GetValue<string>(), new[] { "manpads", "tank" }));
        Assert.Contains(items, i => i!["category"]!.GetValue<string>() == "tank");
    }

    [Fact]
    public async Task Weapon_system_by_id_and_unknown_id_is_404()
    {
        var javelin = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/fgm-148-javelin");

        Assert.Equal("FGM-148 Javelin", javelin["name"]!.GetValue<string>());
        await (await app.Anonymous().GetAsync("/api/v1/weapon-systems/phaser")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_live_and_ready_answer_200()
    {
        Assert.Equal("live", (await app.Anonymous().GetJsonAsync<JsonObject>("/health/live"))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await app.Anonymous().GetJsonAsync<JsonObject>("/health/ready"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Swagger_ui_and_the_openapi_document_are_served()
    {
        var ui = await app.Anonymous().GetAsync("/swagger/index.html");
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.True(document["paths"]!.AsObject().ContainsKey("/api/v1/donations/{id}/history"));
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_401_on_every_operation_and_408_on_every_one_that_reads_a_body()
    {
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Name: $"{operation.Key} {path.Key}", Operation: operation.Value!.AsObject())))
            .ToList();

        Assert.All(operations, op => Assert.True(op.Operation["responses"]!.AsObject().ContainsKey("401"), $"{op.Name} lists no 401"));
        var withBody = operations.Where(op => op.Operation.ContainsKey("requestBody")).ToList();
        Assert.NotEmpty(withBody);
        Assert.All(withBody, op => Assert.True(op.Operation["responses"]!.AsObject().ContainsKey("408"), $"{op.Name} lists no 408"));
    }
}

/// <summary>Admin writes to reference data, in a class of their own so that the counts above see only the bundled data.</summary>
public sealed class ReferenceDataWriteTests(ApiFixture app) : IClassFixture<ApiFixture>
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
