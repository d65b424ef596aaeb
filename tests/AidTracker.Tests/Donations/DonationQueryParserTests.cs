using AidTracker.Api.Donations;
using AidTracker.Api.WeaponSystems;
using System.Net;

namespace AidTracker.Tests;

/// <summary>How the query string of lists is refused: every bad filter named, in the order the parser checks them.</summary>
public sealed class DonationQueryParserTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task List_with_several_bad_filters_names_split_problems_then_values_then_unknown_codes_then_dates()
    {
        // donor is only unknown (a lookup), weapon_system has an empty item (the split), category and status are
        // values of neither set (status is checked first), from is no date, limit is out of bounds.
        var response = await app.Anonymous().GetAsync("/api/v1/donations?donor=XXX&weapon_system=nlaw,,javelin&category=laser&status=shipped&from=soon&limit=0");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var keys = problem["errors"]!.AsObject().Select(pair => pair.Key).ToArray();
        Assert.Equal(["weapon_system", "status", "category", "donor", "from", "limit"], keys);
    }

    [Fact]
    public async Task List_with_bad_values_quotes_each_and_names_what_to_use()
    {
        var response = await app.Anonymous().GetAsync("/api/v1/donations?category=laser,tank&status=shipped,Lost&limit=1001");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(
            ["'shipped' is not a status. Use one of: announced, committed, partially_delivered, delivered, cancelled.", "'Lost' is not a status. Use one of: announced, committed, partially_delivered, delivered, cancelled."],
            errors["status"]!.AsArray().Select(error => (string)error!));
        Assert.Equal(
            [$"'laser' is not a category. {WeaponCategories.All.UseOneOf}"],
            errors["category"]!.AsArray().Select(error => (string)error!));
        Assert.Equal(["limit must be between 1 and 1000."], errors["limit"]!.AsArray().Select(error => (string)error!));
    }

    [Fact]
    public void Every_list_with_a_set_of_allowed_values_is_checked()
    {
        var withAllowedValues = DonationFilters.Lists.Where(list => list.Choice is not null).Select(list => list.Key).Order();

        Assert.Equal(withAllowedValues, DonationFilters.ValueChecks.Select(list => list.Key).Order());
    }
}
