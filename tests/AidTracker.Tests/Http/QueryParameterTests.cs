using System.Net;
using AidTracker.Api.Http;

namespace AidTracker.Tests;

/// <summary>How query parameters are read on every route: a one-value parameter is given once; a list may repeat.</summary>
public sealed class QueryParameterTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>Every route, and each of its query parameters that takes one value, from the service's own endpoints.</summary>
    public static TheoryData<string, string, string> SingleValuedParameters()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var endpoint in Routes.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<QueryParameters>() is not { } declared) continue;
            foreach (var parameter in declared.SingleValued.Order(StringComparer.Ordinal))
            {
                data.Add(endpoint.Methods()[0], endpoint.Path(), parameter);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SingleValuedParameters))]
    public async Task A_one_value_parameter_given_twice_is_a_400_saying_so(string method, string path, string parameter)
    {
        var response = await app.Admin().SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{path}?{parameter}=1&{parameter}=2"));

        var problem = await response.AssertProblemNamingAsync(parameter);
        Assert.Contains("given 2 times", problem["errors"]![parameter]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_routes_have_the_one_value_parameters_the_issue_names()
    {
        var parameters = SingleValuedParameters().Select(row => (string)row[2]).ToHashSet();

        Assert.Superset(new HashSet<string> { "limit", "cursor", "sort", "from", "to", "as_of", "release", "q", "group_by", "interval" }, parameters);
    }

    [Fact]
    public async Task Limit_given_twice_says_that_it_is_given_twice_not_that_one_comma_two_is_not_an_integer()
    {
        var response = await app.Anonymous().GetAsync("/api/v1/donations?limit=1&limit=2");

        var problem = await response.AssertProblemNamingAsync("limit");
        var message = problem["errors"]!["limit"]![0]!.GetValue<string>();
        Assert.Equal("'limit' is given 2 times; it takes one value. Give it once.", message);
    }

    [Theory]
    [InlineData("/api/v1/donations?donor=POL&donor=LVA&status=committed&status=announced")]
    [InlineData("/api/v1/stats/totals?group_by=donor&recipient=UKR&recipient=UKR")]
    [InlineData("/api/v1/exports/donations.csv?weapon_system=fim-92-stinger&weapon_system=fgm-148-javelin")]
    [InlineData("/api/v1/weapon-systems?category=manpads&category=anti-tank")]
    public async Task A_list_parameter_may_be_repeated(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
