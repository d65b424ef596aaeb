using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class WeaponSystemTests(ApiFixture app) : IClassFixture<ApiFixture>
{
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
}
