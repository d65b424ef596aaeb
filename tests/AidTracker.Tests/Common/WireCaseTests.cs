using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AidTracker.Api.Cli;

namespace AidTracker.Tests;

/// <summary>
/// One rule for codes and enum values, in queries, bodies and imports: any case matches the canonical form, which is
/// what is stored and written; the C# member names (AtLeast, WeaponSystem) are not values and are refused by name.
/// </summary>
public sealed class WireCaseTests(SortFixture app) : IClassFixture<SortFixture>
{
    /// <summary>A request in odd case, and the same request in canonical form.</summary>
    public static TheoryData<string, string> OddCaseQueries() => new()
    {
        { "/api/v1/stats/totals?group_by=DONOR", "/api/v1/stats/totals?group_by=donor" },
        { "/api/v1/stats/totals?group_by=Weapon_System,STATUS&sort=-Value_EUR", "/api/v1/stats/totals?group_by=weapon_system,status&sort=-value_eur" },
        { "/api/v1/stats/totals?group_by=donor&category=MANPADS,Anti-Tank", "/api/v1/stats/totals?group_by=donor&category=manpads,anti-tank" },
        { "/api/v1/stats/totals?group_by=donor&status=DELIVERED,Committed", "/api/v1/stats/totals?group_by=donor&status=delivered,committed" },
        { "/api/v1/stats/totals?group_by=category&donor=pol,Deu&recipient=ukr", "/api/v1/stats/totals?group_by=category&donor=POL,DEU&recipient=UKR" },
        { "/api/v1/stats/totals?group_by=donor&weapon_system=FGM-148-JAVELIN", "/api/v1/stats/totals?group_by=donor&weapon_system=fgm-148-javelin" },
        { "/api/v1/stats/timeseries?interval=YEAR&split=Donor&date=DELIVERED_ON", "/api/v1/stats/timeseries?interval=year&split=donor&date=delivered_on" },
        { "/api/v1/stats/pledged-vs-delivered?by=CATEGORY&status=Announced", "/api/v1/stats/pledged-vs-delivered?by=category&status=announced" },
        { "/api/v1/donations?status=DELIVERED&category=Air-Defence&sort=-Announced_On,DONOR&limit=1000", "/api/v1/donations?status=delivered&category=air-defence&sort=-announced_on,donor&limit=1000" },
        { "/api/v1/weapon-systems?category=MANPADS", "/api/v1/weapon-systems?category=manpads" },
    };

    [Theory]
    [MemberData(nameof(OddCaseQueries))]
    public async Task A_query_in_any_case_answers_as_its_canonical_form_and_echoes_it_canonical(string odd, string canonical)
    {
        var expected = await app.Anonymous().GetStringAsync(canonical);

        var response = await app.Anonymous().GetAsync(odd);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    /// <summary>C# member names and other near misses: each names its parameter and lists the values it takes.</summary>
    [Theory]
    [InlineData("/api/v1/stats/totals?group_by=WeaponSystem", "group_by", "weapon_system")]
    [InlineData("/api/v1/stats/totals?group_by=donor&sort=-QuantityUndisclosed", "sort", "quantity_undisclosed")]
    [InlineData("/api/v1/stats/totals?group_by=donor&category=AirDefence", "category", "air-defence")]
    [InlineData("/api/v1/stats/totals?group_by=donor&status=Delivered_", "status", "delivered")]
    [InlineData("/api/v1/stats/timeseries?split=WeaponSystem", "split", "weapon_system")]
    [InlineData("/api/v1/stats/timeseries?date=DeliveredOn", "date", "delivered_on")]
    [InlineData("/api/v1/stats/timeseries?interval=Months", "interval", "month")]
    [InlineData("/api/v1/stats/pledged-vs-delivered?by=WeaponSystem", "by", "category")]
    [InlineData("/api/v1/donations?sort=AnnouncedOn", "sort", "announced_on")]
    [InlineData("/api/v1/weapon-systems?category=AntiTank", "category", "anti-tank")]
    public async Task A_member_name_form_in_a_query_is_a_problem_naming_the_parameter_and_its_values(string url, string field, string listed)
    {
        var problem = await (await app.Anonymous().GetAsync(url)).AssertProblemNamingAsync(field);

        Assert.Contains(listed, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A body field in odd case, and what is stored and answered.</summary>
    [Theory]
    [InlineData("status", "Committed", "committed")]
    [InlineData("status", "COMMITTED", "committed")]
    [InlineData("quantity_qualifier", "At_least", "at_least")]
    [InlineData("quantity_qualifier", "AT_LEAST", "at_least")]
    [InlineData("quantity_qualifier", "Approximate", "approximate")]
    [InlineData("value_basis", "BOOK_VALUE", "book_value")]
    [InlineData("donor", "dnk", "DNK")]
    [InlineData("recipient", "Ukr", "UKR")]
    [InlineData("weapon_system", "FGM-148-Javelin", "fgm-148-javelin")]
    [InlineData("value_currency", "eur", "EUR")]
    [InlineData("value_currency", "Usd", "USD")]
    public async Task A_body_value_in_any_case_is_stored_and_answered_canonical(string field, string given, string stored)
    {
        var body = Donations.Valid().With("value_amount", 1000).With("value_currency", "EUR").With(field, given);

        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(body));

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();
        var read = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        var history = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}/history");
        var export = await app.Anonymous().GetStringAsync($"/api/v1/exports/donations.ndjson?donor={read["donor"]}");
        Assert.Equal(stored, read[field]!.GetValue<string>());
        Assert.Equal(stored, history["items"]![0]!["record"]![field]!.GetValue<string>());
        var exported = export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).Single(row => row["id"]!.GetValue<long>() == id);
        Assert.Equal(stored, exported[field]!.GetValue<string>());
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Theory]
    [InlineData("quantity_qualifier", "\"AtLeast\"", "at_least")]
    [InlineData("quantity_qualifier", "\"atleast\"", "at_least")]
    [InlineData("status", "\"Delivered \"", "delivered")]
    [InlineData("status", "1", "committed")]
    [InlineData("value_basis", "\"BookValue\"", "book_value")]
    public async Task A_member_name_form_in_a_body_is_a_problem_naming_the_field_and_its_values(string field, string json, string listed)
    {
        var body = Donations.Valid().With(field, JsonNode.Parse(json));

        var problem = await (await app.Editor().PostAsync("/api/v1/donations", Http.Json(body))).AssertProblemNamingAsync(field);

        Assert.Contains(listed, problem["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weapon_system_body_takes_its_categories_in_any_case_and_stores_them_canonical()
    {
        var body = new JsonObject
        {
            ["id"] = "Case-Test-1", ["name"] = "Case test", ["category"] = "MANPADS",
            ["sipri_category"] = "AIR DEFENCE SYSTEMS", ["unroca_category"] = "vii(B)",
        };

        var created = await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(body));

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var read = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/CASE-TEST-1");
        Assert.Equal(("case-test-1", "manpads", "Air defence systems", "VII(b)"), (
            read["id"]!.GetValue<string>(), read["category"]!.GetValue<string>(),
            read["sipri_category"]!.GetValue<string>(), read["unroca_category"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_import_takes_codes_and_enum_values_in_any_case_and_stores_them_canonical()
    {
        var file = """
            donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,value_basis,value_amount,value_currency,source,quote
            nor,Ukr,FGM-148-JAVELIN,10,AT_LEAST,Committed,2022-03-01,PRICE_LIST,1500,usd,1,Case import
            """;

        var response = await app.Editor().PostAsync("/api/v1/imports/donations", Csv(file));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.ReadObjectAsync())["first_donation"]!.GetValue<long>();
        var read = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal(["NOR", "UKR", "fgm-148-javelin", "at_least", "committed", "price_list", "USD"],
            new[] { "donor", "recipient", "weapon_system", "quantity_qualifier", "status", "value_basis", "value_currency" }.Select(f => read[f]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("quantity_qualifier", "AtLeast", "at_least")]
    [InlineData("status", "Delivered_", "delivered")]
    public async Task A_member_name_form_in_an_import_is_refused_naming_the_column_and_its_values(string column, string value, string listed)
    {
        var row = new Dictionary<string, string>
        {
            ["donor"] = "POL", ["recipient"] = "UKR", ["weapon_system"] = "nlaw", ["quantity"] = "10", ["quantity_qualifier"] = "exact",
            ["status"] = "announced", ["announced_on"] = "2022-03-01", ["source"] = "1", ["quote"] = "Case import",
        };
        row[column] = value;
        var file = string.Join(',', row.Keys) + "\n" + string.Join(',', row.Values) + "\n";

        var problem = await (await app.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(column, error!["field"]!.GetValue<string>());
        Assert.Contains(listed, error["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_keys_verb_takes_a_role_in_any_case_and_stores_it_canonical()
    {
        var error = new StringWriter();

        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["create", "--name", "case-role", "--role", "EDITOR"], new StringWriter(), error));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["create", "--name", "case-role-2", "--role", "Editors"], new StringWriter(), error));

        var list = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["list"], list, error));
        Assert.Contains("\tcase-role\teditor\t", list.ToString(), StringComparison.Ordinal);
        Assert.Contains("reader, editor, reviewer, admin", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_canonical_enum_values()
    {
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");

        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(["exact", "at_least", "approximate", "undisclosed"], schemas["QuantityQualifier"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["announced", "committed", "partially_delivered", "delivered", "cancelled"], schemas["DonationStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    private static ByteArrayContent Csv(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }
}
