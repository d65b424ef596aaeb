using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;

namespace AidTracker.Tests;

/// <summary>
/// Text holds no control character but tab and line breaks (LF, CR LF): in every text field of every request body,
/// in query values, and in imported CSV cells, each refused with a problem naming the field.
/// </summary>
public sealed class TextFieldTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>Every text property of every JSON request body, with a route that takes it: from the service's own endpoints.</summary>
    public static TheoryData<string, string, string> TextFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var endpoint in Routes.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { Namespace: { } ns } body || !ns.StartsWith("AidTracker", StringComparison.Ordinal)) continue;
            foreach (var property in body.GetProperties().Where(property => property.PropertyType == typeof(string)))
            {
                data.Add(endpoint.Methods()[0], endpoint.Path(), JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public async Task A_nul_in_any_text_field_of_a_body_is_a_400_naming_the_field(string method, string path, string field)
    {
        var body = new JsonObject { [field] = "before\0after" };

        var response = await app.Admin().SendAsync(new HttpMethod(method), path, Http.Json(body));

        var problem = await response.AssertProblemNamingAsync(field);
        Assert.Contains(problem["errors"]![field]!.AsArray(), message => message!.GetValue<string>().Contains("control character U+0000 at position 6", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_request_body_of_the_service_has_text_fields_in_the_theory()
    {
        var fields = TextFields().Select(row => (string)row[2]).ToHashSet();

        Assert.Superset(new HashSet<string> { "notes", "donor", "name", "description", "title", "id", "code", "publisher", "url", "citation", "announced_on" }, fields);
    }

    [Theory]
    [InlineData("\u0001", "U+0001")]
    [InlineData("\u001b[31m", "U+001B")]
    [InlineData("\u007f", "U+007F")]
    [InlineData("\u0085", "U+0085")]
    [InlineData("one\rtwo", "U+000D")]
    [InlineData("ends with\r", "U+000D")]
    public async Task A_control_character_other_than_tab_and_line_breaks_is_refused(string text, string named)
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("notes", $"notes {text}")));

        var problem = await response.AssertProblemNamingAsync("notes");
        Assert.Contains(named, problem["errors"]!["notes"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("line one\nline two")]
    [InlineData("pasted from Windows\r\nsecond line\r\n")]
    [InlineData("line\u2028separator, zero\u200bwidth, é, 🚀")]
    public async Task Tab_line_feed_crlf_and_other_unicode_text_are_kept(string text)
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("notes", text)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(text, (await response.ReadObjectAsync())["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unpaired_surrogate_is_a_400_naming_the_field()
    {
        var json = Donations.Valid().ToJsonString().Replace("\"Test quote\"", "\"broken \\ud800 text\"", StringComparison.Ordinal);

        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(json));

        await response.AssertProblemNamingAsync("evidence[0].quote");
    }

    [Theory]
    [InlineData("/api/v1/donations?q=stinger%00")]
    [InlineData("/api/v1/stats/totals?group_by=donor&q=%1B")]
    [InlineData("/api/v1/exports/donations.csv?q=a%0Db")]
    public async Task A_control_character_in_a_query_value_is_a_400_naming_the_parameter(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        var problem = await response.AssertProblemNamingAsync("q");
        Assert.Contains("control character", problem["errors"]!["q"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_imported_csv_cell_with_a_control_character_is_refused_naming_its_line_and_column()
    {
        var csv = "donor,recipient,weapon_system,status,announced_on,source,quote,notes\r\n" +
            "POL,UKR,fim-92-stinger,announced,2022-03-01,1,Import quote,fine\r\n" +
            "POL,UKR,fim-92-stinger,announced,2022-03-01,1,Import quote,bell\u0007\r\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await app.Editor().PostAsync("/api/v1/imports/donations", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(3, error!["line"]!.GetValue<long>());
        Assert.Equal("notes", error["field"]!.GetValue<string>());
        Assert.Contains("U+0007", error["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
