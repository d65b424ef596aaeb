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
            ["code"] = "ZQA", ["name"] = "Zequania", ["kind"] = "state", ["eu_member"] = false,
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
