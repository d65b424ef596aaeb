using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace AidTracker.Tests;

/// <summary>Admin writes of membership dates and aliases: stored, returned, searchable, recorded in history, and checked.</summary>
public sealed class CountryAliasWriteTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Admin_writes_membership_dates_and_aliases_which_q_finds_and_history_records()
    {
        var body = new JsonObject
        {
            ["code"] = "ZQA", ["name"] = "Zequania", ["kind"] = "state", ["eu_member"] = false, ["nato_member"] = true,
            ["eu_since"] = "1995-01-01", ["eu_until"] = "2001-06-30", ["nato_since"] = "2004-03-29",
            ["aliases"] = new JsonArray("Zequanians", "Zéquanie"),
        };

        var created = await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(body))).ReadObjectAsync();
        var replaced = await app.Admin().PutAsync("/api/v1/countries/ZQA", Http.Json(body.With("aliases", new JsonArray("Zeq"))));
        var found = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries?q=zeq"))["items"]!.AsArray();
        var before = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries?q=zequanians"))["items"]!.AsArray();

        Assert.Equal(("1995-01-01", "2001-06-30", "2004-03-29"), (created["eu_since"]!.GetValue<string>(), created["eu_until"]!.GetValue<string>(), created["nato_since"]!.GetValue<string>()));
        Assert.Equal(["Zequanians", "Zéquanie"], created["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(["ZQA"], found.Select(i => i!["code"]!.GetValue<string>()));
        Assert.Empty(before);
        await using var connection = app.OutsideConnection();
        var history = (await connection.QueryAsync<(string Aliases, string? EuUntil)>(
            "SELECT aliases, eu_until FROM country_history WHERE code = 'ZQA' ORDER BY id")).ToList();
        Assert.Equal(2, history.Count);
        Assert.Contains("Zéquanie", history[0].Aliases, StringComparison.Ordinal);
        Assert.Equal(("[\"Zeq\"]", "2001-06-30"), history[1]);
    }

    [Fact]
    public async Task A_country_without_dates_or_aliases_has_nulls_and_an_empty_list()
    {
        var created = await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(new JsonObject { ["code"] = "ZQB", ["name"] = "Plain", ["kind"] = "state" }))).ReadObjectAsync();

        Assert.Null(created["eu_since"]);
        Assert.Null(created["nato_since"]);
        Assert.Empty(created["aliases"]!.AsArray());
    }

    [Fact]
    public async Task A_put_without_dates_or_aliases_keeps_them_and_null_or_empty_clears_them()
    {
        var full = new JsonObject
        {
            ["code"] = "ZQK", ["name"] = "Keepland", ["kind"] = "state", ["eu_member"] = true, ["nato_member"] = true,
            ["eu_since"] = "2004-05-01", ["nato_since"] = "1999-03-12", ["aliases"] = new JsonArray("Keepers"),
        };
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/countries", Http.Json(full))).StatusCode);
        // An older client's body: the flags, no dates, no aliases.
        var older = new JsonObject { ["code"] = "ZQK", ["name"] = "Keepland renamed", ["kind"] = "state", ["eu_member"] = true, ["nato_member"] = true };

        var kept = await (await app.Admin().PutAsync("/api/v1/countries/zqk", Http.Json(older))).ReadObjectAsync();
        var stored = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/ZQK");
        var cleared = await (await app.Admin().PutAsync("/api/v1/countries/ZQK", Http.Json(older
            .With("eu_member", false).With("nato_member", false).With("eu_since", null).With("nato_since", null).With("aliases", new JsonArray())))).ReadObjectAsync();
        var nulled = await (await app.Admin().PutAsync("/api/v1/countries/ZQK", Http.Json(older
            .With("eu_member", false).With("nato_member", false).With("aliases", new JsonArray("Again"))))).ReadObjectAsync();
        var nullAliases = await (await app.Admin().PutAsync("/api/v1/countries/ZQK", Http.Json(older
            .With("eu_member", false).With("nato_member", false).With("aliases", null)))).ReadObjectAsync();

        foreach (var country in new[] { kept, stored })
        {
            Assert.Equal("Keepland renamed", country["name"]!.GetValue<string>());
            Assert.Equal(("2004-05-01", "1999-03-12"), (country["eu_since"]!.GetValue<string>(), country["nato_since"]!.GetValue<string>()));
            Assert.Equal(["Keepers"], country["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        }
        Assert.Null(cleared["eu_since"]);
        Assert.Null(cleared["nato_since"]);
        Assert.Empty(cleared["aliases"]!.AsArray());
        Assert.Equal(["Again"], nulled["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Empty(nullAliases["aliases"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","eu_member":true}""", "eu_member")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","eu_member":false,"eu_since":"2004-05-01"}""", "eu_member")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","eu_member":true,"eu_since":"1973-01-01","eu_until":"2020-01-31"}""", "eu_member")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","nato_member":true}""", "nato_member")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","nato_member":false,"nato_since":"1999-03-12"}""", "nato_member")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","eu_member":true,"eu_since":"2999-01-01"}""", "eu_since")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","eu_since":"2004-05-01","eu_until":"2999-01-01"}""", "eu_until")]
    [InlineData("""{"code":"ZQM","name":"x","kind":"state","nato_member":true,"nato_since":"2999-01-01"}""", "nato_since")]
    public async Task Membership_flags_that_contradict_the_dates_or_dates_after_today_are_a_400_naming_the_field(string json, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(json))).AssertProblemNamingAsync(field);
        await (await app.Admin().PutAsync("/api/v1/countries/UKR", Http.Json(json.Replace("ZQM", "UKR", StringComparison.Ordinal)))).AssertProblemNamingAsync(field);
    }

    [Theory]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["ok",""]}""", "aliases[1]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["  "]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["Dutch","dutch"]}""", "aliases[1]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["bell\u0007"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["ok"," Dutch"]}""", "aliases[1]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["Dutch ","dutch"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["line\u2028break"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["para\u2029break"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["zero\u200Bwidth"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","aliases":["bidi\u202Eoverride"]}""", "aliases[0]")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","eu_since":"2004-05-01","eu_until":"2004-04-30"}""", "eu_until")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","eu_until":"2020-01-31"}""", "eu_until")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","eu_since":"2020-02-30"}""", "eu_since")]
    [InlineData("""{"code":"ZQC","name":"x","kind":"state","nato_since":"March 1999"}""", "nato_since")]
    public async Task Admin_post_with_bad_dates_or_aliases_returns_problem_naming_the_field(string json, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(json))).AssertProblemNamingAsync(field);
    }

    [Fact]
    public async Task Aliases_are_at_most_50_of_at_most_100_characters()
    {
        JsonObject Body(IEnumerable<string> aliases) => new() { ["code"] = "ZQD", ["name"] = "x", ["kind"] = "state", ["aliases"] = new JsonArray([.. aliases.Select(a => JsonValue.Create(a))]) };

        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(Body(Enumerable.Range(0, 51).Select(i => $"a{i}"))))).AssertProblemNamingAsync("aliases");
        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(Body([new string('a', 101)])))).AssertProblemNamingAsync("aliases[0]");
        var most = await app.Admin().PostAsync("/api/v1/countries", Http.Json(Body([.. Enumerable.Range(0, 49).Select(i => $"a{i}"), new string('a', 100)])));
        Assert.Equal(HttpStatusCode.Created, most.StatusCode);
    }
}
