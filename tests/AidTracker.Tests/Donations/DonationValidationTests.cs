using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Every bad input gets a problem+json response that names the field, and never a 500.</summary>
public sealed class DonationValidationTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private Task<HttpResponseMessage> PostAsync(string json) => app.Editor().PostAsync("/api/v1/donations", Http.Json(json));

    private Task<HttpResponseMessage> PostAsync(JsonObject body) => PostAsync(body.ToJsonString());

    private static JsonArray Deliveries(string deliveredOn, long quantity) =>
        [new JsonObject { ["delivered_on"] = deliveredOn, ["quantity"] = quantity, ["quantity_qualifier"] = "exact", ["evidence"] = new JsonArray(Donations.Evidence(supports: "delivery")) }];

    public static TheoryData<string, string> BadBodies()
    {
        var valid = Donations.Valid();
        string Set(string field, JsonNode? value) => valid.With(field, value).ToJsonString();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new TheoryData<string, string>
        {
            // wrong JSON types
            { Set("quantity", "ten"), "quantity" },
            { Set("quantity", 1.5), "quantity" },
            { Set("donor", 42), "donor" },
            { Set("status", "shipped"), "status" },
            { Set("announced_on", "06/03/2022"), "announced_on" },
            { Set("value_basis", "guess"), "value_basis" },
            // unknown field
            { Set("quantiy", 5), "quantiy" },
            // missing required fields
            { valid.Without("donor").ToJsonString(), "donor" },
            { valid.Without("recipient").ToJsonString(), "recipient" },
            { valid.Without("weapon_system").ToJsonString(), "weapon_system" },
            { valid.Without("status").ToJsonString(), "status" },
            { valid.Without("evidence").ToJsonString(), "evidence" },
            { Set("evidence", new JsonArray()), "evidence" },
            { Set("evidence", new JsonArray(Donations.Evidence(source: 999_999))), "evidence[0].source" },
            { Set("evidence", new JsonArray(Donations.Evidence().Without("source"))), "evidence[0].source" },
            { Set("evidence", new JsonArray(Donations.Evidence().Without("supports"))), "evidence[0].supports" },
            { Set("evidence", new JsonArray(Donations.Evidence().With("supports", new JsonArray("rumour")))), "evidence[0].supports[0]" },
            { Set("evidence", new JsonArray(Donations.Evidence().With("supports", new JsonArray()))), "evidence[0].supports" },
            { Set("evidence", new JsonArray(Donations.Evidence().With("credibility", 7))), "evidence[0].credibility" },
            { Set("evidence", new JsonArray(Donations.Evidence().With("quote", new string('q', 4001)))), "evidence[0].quote" },
            // unknown references
            { Set("donor", "XXX"), "donor" },
            { Set("recipient", "ZZZ"), "recipient" },
            { Set("weapon_system", "death-star"), "weapon_system" },
            { Set("recipient", "POL"), "recipient" },
            { Set("funder", "UKR"), "funder" },
            { Set("funder", "XXX"), "funder" },
            { Set("package", 999_999), "package" },
            // dates
            { valid.With("status", "delivered").With("deliveries", Deliveries("2022-03-01", 10)).ToJsonString(), "deliveries[0].delivered_on" },
            { valid.With("deliveries", Deliveries("2022-05-01", 10)).ToJsonString(), "status" },
            { Set("status", "partially_delivered"), "status" },
            { valid.With("status", "delivered").With("deliveries", Deliveries("2022-05", 101)).ToJsonString(), "deliveries" },
            { valid.With("status", "delivered").With("deliveries", Deliveries("2022-13", 10)).ToJsonString(), "deliveries[0].delivered_on" },
            { Set("announced_on", "2022-4"), "announced_on" },
            { Set("committed_on", "2022-02-30"), "committed_on" },
            { Set("value_basis", "estimate"), "value_basis" },
            { Set("announced_on", "1899-12-31"), "announced_on" },
            { Set("announced_on", today.AddYears(1).AddDays(2).ToString("yyyy-MM-dd")), "announced_on" },
            // quantities
            { Set("quantity", 0), "quantity" },
            { Set("quantity", -3), "quantity" },
            { Set("quantity", 1_000_000_000_001), "quantity" },
            { Set("quantity", 1e30), "quantity" },
            { Set("quantity_qualifier", "undisclosed"), "quantity" },
            { valid.Without("quantity").With("quantity_qualifier", "at_least").ToJsonString(), "quantity" },
            // money
            { Set("value_amount", 100), "value_currency" },
            { valid.With("value_currency", "EUR").ToJsonString(), "value_amount" },
            { valid.With("value_amount", 100).With("value_currency", "EURO").ToJsonString(), "value_currency" },
            { valid.With("value_amount", 100).With("value_currency", "EUX").ToJsonString(), "value_currency" },
            { valid.With("value_amount", 1.234).With("value_currency", "EUR").ToJsonString(), "value_amount" },
            { valid.With("value_amount", 5).With("value_currency", "JPY").With("value_amount", 5.5).ToJsonString(), "value_amount" },
            { Set("value_eur", -1), "value_eur" },
            { valid.With("value_amount", 12.5).With("value_currency", "XAU").ToJsonString(), "value_currency" },
            { valid.With("value_amount", 1e16).With("value_currency", "EUR").ToJsonString(), "value_amount" },
            { Set("id", 5), "id" },
            { Set("version", 2), "version" },
            // sizes
            { Set("notes", new string('n', 4001)), "notes" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_with_bad_body_returns_problem_naming_the_field(string json, string field)
    {
        var response = await PostAsync(json);

        await response.AssertProblemNamingAsync(field);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Put_with_bad_body_returns_problem_naming_the_field(string json, string field)
    {
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();

        var response = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(json), created.Headers.ETag!.Tag);

        await response.AssertProblemNamingAsync(field);
    }

    [Theory]
    [InlineData("{\"donor\": \"POL\",")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Post_with_malformed_json_returns_400_problem(string json)
    {
        var response = await PostAsync(json);

        await response.AssertProblemNamingAsync("body");
    }

    [Fact]
    public async Task Post_with_a_duplicated_field_returns_problem_naming_it()
    {
        var response = await PostAsync("""{"donor":"POL","donor":"LVA","recipient":"UKR","weapon_system":"nlaw","status":"announced","announced_on":"2022-03-06","evidence":[{"source":1,"supports":["announcement"]}]}""");

        await response.AssertProblemNamingAsync("donor");
    }

    [Fact]
    public async Task Post_with_several_bad_fields_names_them_all()
    {
        var response = await PostAsync(Donations.Valid().With("donor", "XXX").With("quantity", -1).With("notes", new string('n', 4001)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("donor") && errors.ContainsKey("quantity") && errors.ContainsKey("notes"), errors.ToJsonString());
    }

    [Fact]
    public async Task Post_with_wrong_content_type_returns_415_problem()
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", new StringContent(Donations.Valid().ToJsonString(), System.Text.Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_with_empty_body_returns_400_problem()
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/v1/donations?colour=red", "colour")]
    [InlineData("/api/v1/donations?donor=XXX", "donor")]
    [InlineData("/api/v1/donations?donor=POL,,LVA", "donor")]
    [InlineData("/api/v1/donations?recipient=Ukraine", "recipient")]
    [InlineData("/api/v1/donations?weapon_system=phaser", "weapon_system")]
    [InlineData("/api/v1/donations?category=lasers", "category")]
    [InlineData("/api/v1/donations?status=shipped", "status")]
    [InlineData("/api/v1/donations?from=2022-13-01", "from")]
    [InlineData("/api/v1/donations?to=yesterday", "to")]
    [InlineData("/api/v1/donations?from=2023-01-01&to=2022-01-01", "to")]
    [InlineData("/api/v1/donations?limit=0", "limit")]
    [InlineData("/api/v1/donations?limit=1001", "limit")]
    [InlineData("/api/v1/donations?limit=ten", "limit")]
    [InlineData("/api/v1/donations?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/v1/donations?cursor=eyJhZnRlcl9pZCI6LTF9", "cursor")]
    [InlineData("/api/v1/donations/abc", "id")]
    [InlineData("/api/v1/donations/1?verbose=true", "verbose")]
    [InlineData("/api/v1/countries?kind=state", "kind")]
    [InlineData("/api/v1/weapon-systems?category=lasers", "category")]
    [InlineData("/api/v1/weapon-systems?sort=name", "sort")]
    public async Task Get_with_bad_query_returns_problem_naming_the_parameter(string url, string field)
    {
        var response = await app.Anonymous().GetAsync(url);

        await response.AssertProblemNamingAsync(field);
    }

    [Fact]
    public async Task Unknown_route_returns_404_problem()
    {
        await (await app.Anonymous().GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
