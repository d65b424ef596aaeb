using System.Text.Json.Nodes;
using AidTracker.Api.WeaponSystems;

namespace AidTracker.Tests;

/// <summary>Aliases, generic entries and q on the bundled catalogue (migration 0013).</summary>
public sealed class WeaponSystemReferenceTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<JsonArray> ListAsync(string query = "") =>
        (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems" + query))["items"]!.AsArray();

    private static string Id(JsonNode? item) => item!["id"]!.GetValue<string>();

    [Fact]
    public async Task Every_category_has_a_generic_entry_for_reports_that_name_no_model()
    {
        var items = await ListAsync();

        foreach (var category in WeaponCategories.All)
        {
            Assert.Contains(items, i => i!["category"]!.GetValue<string>() == category
                && i["description"]!.GetValue<string>().StartsWith("Generic entry", StringComparison.Ordinal));
        }
        Assert.Contains(items, i => Id(i) == "tank-unspecified");
    }

    [Fact]
    public async Task Named_systems_carry_their_designations_plurals_and_local_names()
    {
        var items = await ListAsync();
        IEnumerable<string> Aliases(string id) => items.Single(i => Id(i) == id)!["aliases"]!.AsArray().Select(a => a!.GetValue<string>());

        Assert.Superset(new HashSet<string> { "Stinger", "Stingers", "FIM-92" }, Aliases("fim-92-stinger").ToHashSet());
        Assert.Contains("Pansarskott m/86", Aliases("at4"));
        Assert.Contains("Javelin", Aliases("fgm-148-javelin"));
        // The bundled aliases keep the rules an admin's write is held to.
        Assert.All(items, i => Assert.Empty(AidTracker.Api.Common.Aliases.Problems([.. Aliases(Id(i))])));
    }

    [Fact]
    public async Task No_bundled_alias_repeats_its_own_name_or_names_other_entries_too()
    {
        var items = await ListAsync();

        Assert.All(items, i => Assert.DoesNotContain(i!["name"]!.GetValue<string>(), i["aliases"]!.AsArray().Select(a => a!.GetValue<string>()), StringComparer.OrdinalIgnoreCase));
        // Words that name several entries (arms, rifles, equipment) or several variants (Challenger 1, 2 and 3; Strela-1, -2, -3, -10).
        var aliases = items.SelectMany(i => i!["aliases"]!.AsArray().Select(a => a!.GetValue<string>())).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(aliases.Intersect(["arms", "rifles", "equipment", "Challenger", "Challengers", "Strela", "Strelas"], StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("stingers", "fim-92-stinger")]
    [InlineData("FIM-92", "fim-92-stinger")]
    [InlineData("%22pansarskott%20m%2F86%22", "at4")]
    [InlineData("gozdzik", "2s1-gvozdika")]
    [InlineData("himars", "m142-himars")]
    [InlineData("javelins", "fgm-148-javelin")]
    public async Task Q_finds_a_weapon_system_by_name_or_alias_ignoring_case_and_accents(string q, string id)
    {
        Assert.Equal([id], (await ListAsync($"?q={q}")).Select(Id));
    }

    [Fact]
    public async Task Q_combines_with_the_category_filter()
    {
        Assert.Equal(["fim-92-stinger"], (await ListAsync("?q=stinger&category=manpads")).Select(Id));
        Assert.Empty(await ListAsync("?q=stinger&category=tank"));
    }

    [Fact]
    public async Task A_blank_q_and_a_bad_category_are_named_in_one_problem()
    {
        var problem = await (await app.Anonymous().GetAsync("/api/v1/weapon-systems?q=%20&category=spaceship")).AssertProblemNamingAsync("q");

        Assert.NotNull(problem["errors"]!["category"]);
    }
}
