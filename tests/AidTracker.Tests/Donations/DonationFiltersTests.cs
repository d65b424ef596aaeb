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
            "WHERE d.deleted_at IS NULL AND d.donor IN (@donor0, @donor1) AND d.status IN (@status0) AND d.announced_on >= @from AND d.announced_on_end <= @to",
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
    public void The_category_over_the_donations_is_the_weapon_systems()
    {
        var (sql, _) = (DonationFilter.All with { Categories = ["tank"] }).ToSql(PostgresDialect.Instance);

        Assert.Equal("WHERE d.deleted_at IS NULL AND w.category IN (@category0)", sql);
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
    };

    [Theory]
    [MemberData(nameof(FinerThanTheRollup))]
    public void A_filter_finer_than_the_rollup_has_no_rollup_sql(string what, DonationFilter filter)
    {
        Assert.True(filter.ToRollupSql() is null, what);
    }

    [Fact]
    public void No_filter_is_every_live_row_and_the_whole_rollup()
    {
        Assert.Equal("WHERE d.deleted_at IS NULL", DonationFilter.All.ToSql(SqliteDialect.Instance).Sql);
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
