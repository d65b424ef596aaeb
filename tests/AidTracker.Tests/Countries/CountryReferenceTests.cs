using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Membership dates, aliases and q on the bundled countries (migration 0013).</summary>
public sealed class CountryReferenceTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<JsonArray> ListAsync(string query = "") =>
        (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries" + query))["items"]!.AsArray();

    private static string? Text(JsonNode? item, string field) => item![field]?.GetValue<string>();

    [Fact]
    public async Task Bundled_countries_carry_eu_and_nato_accession_dates_consistent_with_todays_flags()
    {
        var items = await ListAsync();
        JsonNode Find(string code) => items.Single(i => Text(i, "code") == code)!;

        Assert.Equal(("1995-01-01", null, "2023-04-04"), (Text(Find("FIN"), "eu_since"), Text(Find("FIN"), "eu_until"), Text(Find("FIN"), "nato_since")));
        Assert.Equal("2024-03-07", Text(Find("SWE"), "nato_since"));
        Assert.Equal(("1973-01-01", "2020-01-31", "1949-08-24"), (Text(Find("GBR"), "eu_since"), Text(Find("GBR"), "eu_until"), Text(Find("GBR"), "nato_since")));
        Assert.Equal(("2004-05-01", "1999-03-12"), (Text(Find("POL"), "eu_since"), Text(Find("POL"), "nato_since")));
        Assert.Equal(("1958-01-01", "1955-05-06"), (Text(Find("DEU"), "eu_since"), Text(Find("DEU"), "nato_since")));
        Assert.Equal("2013-07-01", Text(Find("HRV"), "eu_since"));
        Assert.Null(Text(Find("UKR"), "eu_since"));
        Assert.Null(Text(Find("UKR"), "nato_since"));
        Assert.Equal(28, items.Count(i => Text(i, "eu_since") is not null));
        Assert.Equal(32, items.Count(i => Text(i, "nato_since") is not null));
        // Today's flags are the dates read today: a member has a start and no end, and only members do.
        Assert.All(items, i => Assert.Equal(i!["eu_member"]!.GetValue<bool>(), Text(i, "eu_since") is not null && Text(i, "eu_until") is null));
        Assert.All(items, i => Assert.Equal(i!["nato_member"]!.GetValue<bool>(), Text(i, "nato_since") is not null));
    }

    [Fact]
    public async Task Members_at_the_time_are_answerable_from_the_dates()
    {
        var items = await ListAsync();
        int EuMembersOn(string day) => items.Count(i => Text(i, "eu_since") is { } since && string.CompareOrdinal(since, day) <= 0
            && (Text(i, "eu_until") is not { } until || string.CompareOrdinal(day, until) <= 0));
        int NatoMembersOn(string day) => items.Count(i => Text(i, "nato_since") is { } since && string.CompareOrdinal(since, day) <= 0);

        Assert.Equal(6, EuMembersOn("1960-01-01"));
        Assert.Equal(28, EuMembersOn("2020-01-31"));
        Assert.Equal(27, EuMembersOn("2020-02-01"));
        Assert.Equal(30, NatoMembersOn("2022-03-06"));
        Assert.Equal(31, NatoMembersOn("2023-04-04"));
        Assert.Equal(32, NatoMembersOn("2024-03-07"));
    }

    [Fact]
    public async Task Every_bundled_donor_and_the_recipient_have_aliases()
    {
        var items = await ListAsync();
        string[] Aliases(string code) => items.Single(i => Text(i, "code") == code)!["aliases"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

        foreach (var code in new[] { "NLD", "EST", "POL", "LVA", "CZE", "SWE", "FIN", "DEU", "UKR", "USA", "GBR", "FRA", "EU", "NATO" })
        {
            Assert.NotEmpty(Aliases(code));
        }
        Assert.Superset(new HashSet<string> { "Dutch", "the Dutch", "Holland", "the Netherlands" }, Aliases("NLD").ToHashSet());
        Assert.Superset(new HashSet<string> { "Czechs", "Czech", "Czech Republic" }, Aliases("CZE").ToHashSet());
        Assert.Empty(Aliases("ABW"));
        // The bundled aliases keep the rules an admin's write is held to.
        Assert.All(items, i => Assert.Empty(AidTracker.Api.Common.Aliases.Problems([.. i!["aliases"]!.AsArray().Select(a => a!.GetValue<string>())])));
    }

    [Fact]
    public async Task No_bundled_alias_repeats_its_own_name_or_names_other_things_too()
    {
        var items = await ListAsync();

        Assert.All(items, i => Assert.DoesNotContain(Text(i, "name"), i!["aliases"]!.AsArray().Select(a => a!.GetValue<string>()), StringComparer.OrdinalIgnoreCase));
        // "US" is the pronoun "us"; "American" names Latin and South Americans too.
        foreach (var word in new[] { "us", "american", "%22latin%20american%22" })
        {
            Assert.DoesNotContain("USA", (await ListAsync($"?q={word}")).Select(i => Text(i, "code")));
        }
    }

    [Theory]
    [InlineData("holland", "NLD")]
    [InlineData("%22the%20dutch%22", "NLD")]
    [InlineData("THE%20DUTCH", "NLD")]
    [InlineData("holl*", "NLD")]
    [InlineData("%22czech%20republic%22", "CZE")]
    [InlineData("czechs", "CZE")]
    [InlineData("ceska", "CZE")]
    [InlineData("%C4%8CESKO", "CZE")]
    [InlineData("aland", "ALA")]
    [InlineData("Poland", "POL")]
    [InlineData("peace%20facility", "EU")]
    public async Task Q_finds_a_country_by_name_or_alias_ignoring_case_and_accents(string q, string code)
    {
        var items = await ListAsync($"?q={q}");

        Assert.Equal([code], items.Select(i => Text(i, "code")));
    }

    [Theory]
    [InlineData("%22holland%20dutch%22")]
    [InlineData("%22poland%20polish%22")]
    [InlineData("%22polish%20poles%22")]
    [InlineData("holland%20nederland")]
    public async Task Q_matches_within_one_name_or_alias_never_across_two(string q)
    {
        Assert.Empty(await ListAsync($"?q={q}"));
    }

    [Fact]
    public async Task Q_that_matches_nothing_is_an_empty_list()
    {
        Assert.Empty(await ListAsync("?q=atlantis"));
    }

    [Theory]
    [InlineData("%20%20")]
    [InlineData("%21%21")]
    [InlineData("%22unclosed")]
    public async Task A_blank_or_unsearchable_q_is_a_400_naming_q(string q)
    {
        await (await app.Anonymous().GetAsync($"/api/v1/countries?q={q}")).AssertProblemNamingAsync("q");
    }

    [Fact]
    public async Task A_q_longer_than_200_characters_is_a_400_naming_q()
    {
        await (await app.Anonymous().GetAsync($"/api/v1/countries?q={new string('a', 201)}")).AssertProblemNamingAsync("q");
    }
}
