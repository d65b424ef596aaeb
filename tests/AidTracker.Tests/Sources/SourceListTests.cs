using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>The filters, search, order and paging of GET /sources, over sources made for them (one database per class).</summary>
public sealed class SourceListFixture : ApiFixture
{
    private static readonly JsonObject[] Made =
    [
        Source("official", "2022-03-06", "A", "en", "Ministry of Defence statement on Žytómyr"),
        Source("news", "2022-03", "B", "uk", "Report from Kyiv"),
        Source("news", "2022", null, "de-CH", "Ärzte und Waffen"),
        Source("parliamentary", "2023-01-15", "D", null, "100% of the 50_50 budget"),
        Source("dataset", "2021-12-31", "F", "en", "Kiel tracker release"),
    ];

    private static JsonObject Source(string kind, string published, string? reliability, string? language, string title) => new()
    {
        ["kind"] = kind, ["published_on"] = published, ["reliability"] = reliability, ["language"] = language, ["title"] = title,
        ["notes"] = "list test",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var body in Made)
        {
            var response = await Editor().PostAsync("/api/v1/sources", Http.Json(body));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

}

public sealed class SourceListTests(SourceListFixture app) : IClassFixture<SourceListFixture>
{
    private async Task<List<string>> TitlesAsync(string query)
    {
        // The bundled seed holds sources of its own: only those this fixture made (notes "list test") are compared.
        var items = await app.Anonymous().ReadAllPagesAsync($"/api/v1/sources?{query}");
        return [.. items.Where(item => item["notes"]?.GetValue<string>() == "list test").Select(item => item["title"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Kind_keeps_the_kinds_listed_in_any_case()
    {
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Kiel tracker release"], await TitlesAsync("kind=OFFICIAL,dataset"));
        Assert.Equal(["Report from Kyiv", "Ärzte und Waffen"], await TitlesAsync("kind=news&kind=NEWS"));
    }

    [Fact]
    public async Task Min_reliability_keeps_that_grade_and_better_and_leaves_ungraded_sources_out()
    {
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Report from Kyiv"], await TitlesAsync("min_reliability=b"));
        Assert.Equal(4, (await TitlesAsync("min_reliability=F")).Count);
    }

    [Fact]
    public async Task A_published_on_range_keeps_a_source_only_when_its_whole_interval_lies_inside()
    {
        // The month 2022-03 lies inside March; the year 2022 does not, though it overlaps.
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Report from Kyiv"], await TitlesAsync("published_on_from=2022-03-01&published_on_to=2022-03-31"));
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Report from Kyiv", "Ärzte und Waffen"], await TitlesAsync("published_on_from=2022&published_on_to=2022"));
        Assert.Equal(["Kiel tracker release"], await TitlesAsync("published_on_to=2021"));
    }

    [Fact]
    public async Task Language_matches_tags_in_any_case()
    {
        Assert.Equal(["Ärzte und Waffen"], await TitlesAsync("language=DE-ch"));
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Report from Kyiv", "Kiel tracker release"], await TitlesAsync("language=en,uk"));
    }

    [Theory]
    [InlineData("zytomyr", "Ministry of Defence statement on Žytómyr")]
    [InlineData("ŽYTÓMYR", "Ministry of Defence statement on Žytómyr")]
    [InlineData("arzte", "Ärzte und Waffen")]
    [InlineData("100%", "100% of the 50_50 budget")]
    [InlineData("50_50", "100% of the 50_50 budget")]
    public async Task Q_ignores_case_and_accents_and_takes_wildcards_literally(string q, string title)
    {
        Assert.Equal([title], await TitlesAsync($"q={Uri.EscapeDataString(q)}"));
    }

    [Fact]
    public async Task Q_with_a_wildcard_alone_matches_only_its_own_character()
    {
        Assert.Empty(await TitlesAsync("q=%25%25"));
        Assert.Empty(await TitlesAsync("q=_x_"));
    }

    [Fact]
    public async Task Pages_follow_the_sort_with_id_as_tiebreak_and_carry_a_link_header()
    {
        var first = await app.Anonymous().GetAsync("/api/v1/sources?sort=-published_on&limit=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.ReadObjectAsync();
        var next = body["next"]!.GetValue<string>();
        Assert.Equal($"<{next}>; rel=\"next\"", first.Headers.GetValues("Link").Single());

        var all = await TitlesAsync("sort=-published_on&limit=2");
        Assert.Equal(["100% of the 50_50 budget", "Ministry of Defence statement on Žytómyr", "Report from Kyiv", "Ärzte und Waffen", "Kiel tracker release"], all);
        Assert.Equal(["Ministry of Defence statement on Žytómyr", "Report from Kyiv", "100% of the 50_50 budget", "Kiel tracker release", "Ärzte und Waffen"], await TitlesAsync("sort=reliability&limit=1"));
    }

    [Fact]
    public async Task A_cursor_made_for_another_sort_is_refused()
    {
        var first = await (await app.Anonymous().GetAsync("/api/v1/sources?sort=title&limit=1")).ReadObjectAsync();
        var cursor = new Uri(new Uri("http://x"), first["next"]!.GetValue<string>()).Query.Split("cursor=")[1];

        var response = await app.Anonymous().GetAsync($"/api/v1/sources?sort=kind&limit=1&cursor={cursor}");

        await response.AssertProblemNamingAsync("cursor");
    }

    [Theory]
    [InlineData("colour=red", "colour")]
    [InlineData("kind=blog", "kind")]
    [InlineData("min_reliability=G", "min_reliability")]
    [InlineData("published_on_from=2022-13", "published_on_from")]
    [InlineData("published_on_to=yesterday", "published_on_to")]
    [InlineData("published_on_from=2023&published_on_to=2022", "published_on_to")]
    [InlineData("language=not%20a%20tag", "language")]
    [InlineData("q=%20", "q")]
    [InlineData("sort=url", "sort")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=forged", "cursor")]
    public async Task An_unknown_parameter_or_malformed_value_is_a_400_naming_it(string query, string parameter)
    {
        var response = await app.Anonymous().GetAsync($"/api/v1/sources?{query}");

        await response.AssertProblemNamingAsync(parameter);
    }
}
