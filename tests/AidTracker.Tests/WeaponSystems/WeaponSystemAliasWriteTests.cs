using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace AidTracker.Tests;

/// <summary>Admin writes of a catalogue entry's aliases: stored, returned, searchable, recorded in history, and checked.</summary>
public sealed class WeaponSystemAliasWriteTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Admin_writes_aliases_which_q_finds_and_history_records()
    {
        var body = new JsonObject { ["id"] = "rbs-70", ["name"] = "RBS 70", ["category"] = "manpads", ["aliases"] = new JsonArray("Robot 70", "RBS-70s") };

        var created = await (await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(body))).ReadObjectAsync();
        var replaced = await (await app.Admin().PutAsync("/api/v1/weapon-systems/rbs-70", Http.Json(body.With("aliases", new JsonArray("Robot 70", "Bolide"))))).ReadObjectAsync();
        var found = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems?q=bolide"))["items"]!.AsArray();

        Assert.Equal(["Robot 70", "RBS-70s"], created["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["Robot 70", "Bolide"], replaced["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["rbs-70"], found.Select(i => i!["id"]!.GetValue<string>()));
        await using var connection = app.OutsideConnection();
        Assert.Equal(["[\"Robot 70\",\"RBS-70s\"]", "[\"Robot 70\",\"Bolide\"]"],
            await connection.QueryAsync<string>("SELECT aliases FROM weapon_system_history WHERE weapon_system = 'rbs-70' ORDER BY id"));
    }

    [Fact]
    public async Task A_put_without_aliases_keeps_them_and_null_or_empty_clears_them()
    {
        var older = new JsonObject { ["id"] = "keep-1", ["name"] = "Keeper", ["category"] = "tank" };
        await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(older.With("aliases", new JsonArray("Keepers"))));

        var kept = await (await app.Admin().PutAsync("/api/v1/weapon-systems/keep-1", Http.Json(older.With("name", "Keeper 2")))).ReadObjectAsync();
        var stored = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/keep-1");
        var cleared = await (await app.Admin().PutAsync("/api/v1/weapon-systems/keep-1", Http.Json(older.With("aliases", new JsonArray())))).ReadObjectAsync();
        await app.Admin().PutAsync("/api/v1/weapon-systems/keep-1", Http.Json(older.With("aliases", new JsonArray("Again"))));
        var nulled = await (await app.Admin().PutAsync("/api/v1/weapon-systems/keep-1", Http.Json(older.With("aliases", null)))).ReadObjectAsync();

        Assert.Equal(["Keepers"], kept["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(("Keeper 2", "Keepers"), (stored["name"]!.GetValue<string>(), stored["aliases"]![0]!.GetValue<string>()));
        Assert.Empty(cleared["aliases"]!.AsArray());
        Assert.Empty(nulled["aliases"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"id":"x1","name":"x","category":"tank","aliases":[""]}""", "aliases[0]")]
    [InlineData("""{"id":"x1","name":"x","category":"tank","aliases":["T-72","t-72"]}""", "aliases[1]")]
    [InlineData("""{"id":"x1","name":"x","category":"tank","aliases":["T-72 ","t-72"]}""", "aliases[0]")]
    [InlineData("""{"id":"x1","name":"x","category":"tank","aliases":["T-72\u2028"]}""", "aliases[0]")]
    public async Task Admin_post_with_bad_aliases_returns_problem_naming_the_alias(string json, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(json))).AssertProblemNamingAsync(field);
    }
}
