using System.ComponentModel;
using System.Reflection;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Tests;

/// <summary>The filters as <see cref="DonationFilters"/> declares them: their SQL over the donations and the rollup, and their echo.</summary>
public sealed class DonationFiltersTests
{
    private static readonly DonationFilter DonorsAndMonths = DonationFilter.All with
    {
        Donors = ["POL", "DEU"], Statuses = ["delivered"], From = new DateOnly(2023, 1, 1), To = new DateOnly(2023, 6, 30),
    };

    [Fact]
    public void Over_the_donations_each_set_filter_adds_its_condition_with_one_parameter_per_value()
    {
        var (sql, parameters) = DonorsAndMonths.ToSql(SqliteDialect.Instance);

        Assert.Equal(
            "WHERE d.deleted_at IS NULL AND d.review_state = 'published' AND d.donor IN (@donor0, @donor1) AND d.status IN (@status0) AND d.announced_on >= @from AND d.announced_on_end <= @to",
            sql);
        Assert.Equal(
            new Dictionary<string, object?> { ["donor0"] = "POL", ["donor1"] = "DEU", ["status0"] = "delivered", ["from"] = "2023-01-01", ["to"] = "2023-06-30" },
            parameters);
    }

    [Fact]
    public void Over_the_rollup_the_same_filter_reads_the_category_of_the_rollup_and_a_date_bound_reads_the_donations()
    {
        var (sql, _) = (DonorsAndMonths with { Categories = ["tank"], From = null, To = null }).ToRollupSql()!.Value;

        Assert.Equal("WHERE true AND d.donor IN (@donor0, @donor1) AND d.category IN (@category0) AND d.status IN (@status0)", sql);
        // The rollup's month cannot tell a year's interval from a month's: a date bound is finer than it.
        Assert.Null(DonorsAndMonths.ToRollupSql());
    }

    [Fact]
    public void A_source_filter_is_an_exists_over_the_evidence_with_ids_bound_as_numbers()
    {
        var (sql, parameters) = (DonationFilter.All with { Sources = ["7"], MinReliability = "B" }).ToSql(PostgresDialect.Instance);

        Assert.Equal(
            "WHERE d.deleted_at IS NULL AND d.review_state = 'published' AND EXISTS (SELECT 1 FROM evidence e WHERE e.donation_id = d.id AND e.source_id IN (@source0))"
            + " AND EXISTS (SELECT 1 FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = d.id AND s.reliability IS NOT NULL AND s.reliability <= @min_reliability)",
            sql);
        Assert.Equal(7L, parameters["source0"]);
    }

    [Fact]
    public void The_category_over_the_donations_is_the_weapon_systems()
    {
        var (sql, _) = (DonationFilter.All with { Categories = ["tank"] }).ToSql(PostgresDialect.Instance);

        Assert.Equal("WHERE d.deleted_at IS NULL AND d.review_state = 'published' AND w.category IN (@category0)", sql);
    }

    public static TheoryData<string, DonationFilter> FinerThanTheRollup => new()
    {
        { "weapon_system", DonationFilter.All with { WeaponSystems = ["fgm-148-javelin"] } },
        { "delivered_from", DonationFilter.All with { DeliveredFrom = new DateOnly(2023, 1, 1) } },
        { "delivered_to", DonationFilter.All with { DeliveredTo = new DateOnly(2023, 1, 31) } },
        { "from mid-month", DonationFilter.All with { From = new DateOnly(2023, 1, 2) } },
        { "to mid-month", DonationFilter.All with { To = new DateOnly(2023, 1, 30) } },
        { "q", DonationFilter.All with { TextQuery = "javelin", SearchText = "javelin" } },
        { "as_of", DonationFilter.All with { AsOf = "2024-01-01T00:00:00.0000000Z" } },
        { "funder", DonationFilter.All with { Funders = ["DEU"] } },
        { "package", DonationFilter.All with { Packages = ["1"] } },
        { "source", DonationFilter.All with { Sources = ["1"] } },
        { "source_kind", DonationFilter.All with { SourceKinds = ["news"] } },
        { "min_reliability", DonationFilter.All with { MinReliability = "B" } },
        { "first_reported_from", DonationFilter.All with { FirstReportedFrom = new DateOnly(2023, 1, 1) } },
    };

    [Theory]
    [MemberData(nameof(FinerThanTheRollup))]
    public void A_filter_finer_than_the_rollup_has_no_rollup_sql(string what, DonationFilter filter)
    {
        Assert.True(filter.ToRollupSql() is null, what);
    }

    [Fact]
    public void No_filter_is_every_live_published_row_and_the_whole_rollup()
    {
        Assert.Equal("WHERE d.deleted_at IS NULL AND d.review_state = 'published'", DonationFilter.All.ToSql(SqliteDialect.Instance).Sql);
        Assert.Equal("WHERE true", DonationFilter.All.ToRollupSql()!.Value.Sql);
        Assert.Empty(DonationFilter.All.Applied());
        Assert.False(DonationFilter.All.IsSlice);
    }

    [Fact]
    public void The_search_matches_the_index_that_drives_or_asks_it()
    {
        var filter = DonationFilter.All with { TextQuery = "\"javelin\"", SearchText = "javelin" };

        Assert.Contains(SqliteDialect.Instance.SearchMatch(true), filter.ToSql(SqliteDialect.Instance, searchJoined: true).Sql, StringComparison.Ordinal);
        Assert.Contains(SqliteDialect.Instance.SearchMatch(false), filter.ToSql(SqliteDialect.Instance).Sql, StringComparison.Ordinal);
        Assert.Equal("\"javelin\"", filter.ToSql(SqliteDialect.Instance).Parameters["text_query"]);
    }

    [Fact]
    public void The_echo_names_each_set_filter_by_its_key_with_dates_as_text_and_a_moment_is_not_a_slice()
    {
        var moment = DonationFilter.All with { AsOf = "2024-01-01T00:00:00.0000000Z", Release = "r1" };
        var applied = (DonorsAndMonths with { SearchText = "tank" }).Applied();

        Assert.Equal(["donor", "from", "q", "status", "to"], applied.Keys);
        Assert.Equal("2023-01-01", applied["from"]);
        Assert.Equal(["POL", "DEU"], (IEnumerable<string>)applied["donor"]);
        Assert.Equal(["as_of", "release"], moment.Applied().Keys);
        Assert.False(moment.IsSlice);
        Assert.Equal("2024-01-01T00:00:00.0000000Z", moment.ToSql(SqliteDialect.Instance).Parameters["as_of"]);
    }

    [Fact]
    public void Every_query_parameter_is_a_declared_filter_with_the_declared_description()
    {
        var parameters = typeof(DonationFilterQuery).GetProperties().Select(property => (
            Name: property.GetCustomAttribute<FromQueryAttribute>()!.Name,
            Description: property.GetCustomAttribute<DescriptionAttribute>()!.Description)).ToList();

        Assert.Equal(DonationFilters.All.Select(f => (f.Key, f.Description)), parameters.Select(p => (p.Name!, p.Description)));
    }
}

/// <summary>The filters of issue 17 through GET /donations: funder, package, source, source_kind, min_reliability, first_reported_on.</summary>
public sealed class DonationEvidenceFilterTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<long> PostAsync(string path, System.Text.Json.Nodes.JsonObject body)
    {
        var response = await app.Editor().PostAsync(path, Http.Json(body));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["id"]!.GetValue<long>();
    }

    private Task<long> SourceAsync(string kind, string publishedOn, string? reliability) => PostAsync("/api/v1/sources", new()
    {
        ["kind"] = kind, ["published_on"] = publishedOn, ["reliability"] = reliability, ["title"] = $"{kind} {publishedOn}",
    });

    private async Task<long[]> IdsAsync(string query) =>
        [.. (await app.Anonymous().ReadAllPagesAsync($"/api/v1/donations?limit=1000&{query}")).Select(item => item["id"]!.GetValue<long>())];

    [Fact]
    public async Task Each_filter_keeps_exactly_the_records_it_names()
    {
        var official = await SourceAsync("official", "2021-07-02", "B");
        var news = await SourceAsync("social_media", "2021-08", null);
        var package = await PostAsync("/api/v1/packages", new() { ["donor"] = "USA", ["title"] = "Filter drawdown", ["instrument"] = "stockpile_drawdown" });
        var cited = await PostAsync("/api/v1/donations", Donations.Valid("USA", "UKR").With("package", package).With("funder", "DEU")
            .With("evidence", new System.Text.Json.Nodes.JsonArray(Donations.Evidence(official))));
        var social = await PostAsync("/api/v1/donations", Donations.Valid("USA", "UKR").With("evidence", new System.Text.Json.Nodes.JsonArray(Donations.Evidence(news))));

        Assert.Equal([cited], await IdsAsync($"package={package}"));
        Assert.Equal([cited], await IdsAsync("funder=deu&donor=USA"));
        Assert.Equal([cited], await IdsAsync($"source={official}"));
        Assert.Equal([cited, social], await IdsAsync($"source={official},{news}"));
        Assert.Equal([social], await IdsAsync($"source_kind=SOCIAL_MEDIA&donor=USA"));
        Assert.Contains(cited, await IdsAsync("min_reliability=b"));
        Assert.DoesNotContain(cited, await IdsAsync("min_reliability=A"));
        Assert.DoesNotContain(social, await IdsAsync("min_reliability=F")); // cites only an ungraded source
        // first_reported_on is the earliest publication: 2021-07-02 and the month 2021-08.
        Assert.Equal([cited], await IdsAsync("first_reported_from=2021-07-01&first_reported_to=2021-07-31"));
        Assert.DoesNotContain(social, await IdsAsync("first_reported_from=2021-08-01&first_reported_to=2021-08-30")); // the month ends later
        Assert.Equal([social], await IdsAsync("first_reported_from=2021-08-01&first_reported_to=2021-08-31&donor=USA"));
    }

    [Theory]
    [InlineData("package=999999", "package")]
    [InlineData("package=abc", "package")]
    [InlineData("source=0", "source")]
    [InlineData("source=999999", "source")]
    [InlineData("source_kind=blog", "source_kind")]
    [InlineData("min_reliability=G", "min_reliability")]
    [InlineData("funder=XXX", "funder")]
    [InlineData("first_reported_from=2021-13-01", "first_reported_from")]
    [InlineData("first_reported_from=2022-01-01&first_reported_to=2021-01-01", "first_reported_to")]
    public async Task An_unknown_or_malformed_value_is_a_problem_naming_its_filter(string query, string field)
    {
        var response = await app.Anonymous().GetAsync($"/api/v1/donations?{query}");

        await response.AssertProblemNamingAsync(field);
    }
}
