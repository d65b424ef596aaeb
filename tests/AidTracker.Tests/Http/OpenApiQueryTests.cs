using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Tests;

/// <summary>The query filter on its own (no HTTP): what each kind of declaration writes into its parameter.</summary>
public sealed class QueryValueFilterTests
{
    private static OperationFilterContext Context(params object[] metadata) => new(
        new ApiDescription { ActionDescriptor = new ActionDescriptor { EndpointMetadata = metadata.ToList() }, RelativePath = "api/x" },
        null!, new SchemaRepository(), new OpenApiDocument(), null!);

    private static OpenApiParameter Query(string name, OpenApiSchema schema, string? description = null) =>
        new() { Name = name, In = ParameterLocation.Query, Schema = schema, Description = description };

    private static readonly WireNames Colours = new(["red", "green"]);

    [Fact]
    public void A_single_choice_gets_its_values_as_an_enum_its_absent_value_as_default_and_the_case_rule_in_its_description()
    {
        var parameter = Query("colour", new OpenApiSchema { Type = JsonSchemaType.String, Description = "A colour." }, "A colour.");

        new QueryValueMetadata.Filter().Apply(new OpenApiOperation { Parameters = [parameter] },
            Context(new ChoiceParameter("colour", "a colour", Colours, absent: "red")));

        Assert.Equal(["red", "green"], parameter.Schema!.Enum!.Select(v => v.GetValue<string>()));
        Assert.Equal("red", parameter.Schema.Default!.GetValue<string>());
        Assert.False(parameter.Required);
        Assert.Equal($"A colour. {QueryValueMetadata.AnyCase}", parameter.Description);
        Assert.Equal(parameter.Description, parameter.Schema.Description);
    }

    [Fact]
    public void A_bound_list_gets_the_enum_on_its_items_and_a_comma_list_in_one_string_names_the_values_in_its_description()
    {
        var list = Query("colours", new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } });
        var commas = Query("pair", new OpenApiSchema { Type = JsonSchemaType.String }, "Two colours.");

        new QueryValueMetadata.Filter().Apply(new OpenApiOperation { Parameters = [list, commas] }, Context(
            new ChoiceParameter("colours", "a colour", Colours) { Many = true },
            new ChoiceParameter("pair", "a colour", Colours) { Many = true, Required = true }));

        Assert.Equal(["red", "green"], list.Schema!.Items!.Enum!.Select(v => v.GetValue<string>()));
        Assert.Null(list.Schema.Enum);
        Assert.Null(commas.Schema!.Enum);
        Assert.True(commas.Required);
        Assert.Equal($"Two colours. Values: red, green. {QueryValueMetadata.AnyCase}", commas.Description);
    }

    [Fact]
    public void An_integer_gets_its_bounds_and_default_and_a_date_its_format()
    {
        var bounded = Query("limit", new OpenApiSchema { Type = JsonSchemaType.Integer });
        var open = Query("min", new OpenApiSchema { Type = JsonSchemaType.Integer });
        var date = Query("from", new OpenApiSchema { Type = JsonSchemaType.String });

        new QueryValueMetadata.Filter().Apply(new OpenApiOperation { Parameters = [bounded, open, date] }, Context(
            new IntegerParameter("limit", 50, 1, 1000), new IntegerParameter("min", 1, 1), new FormattedParameter("from", "date")));

        Assert.Equal(("1", "1000", 50), (bounded.Schema!.Minimum, bounded.Schema.Maximum, bounded.Schema.Default!.GetValue<int>()));
        Assert.Equal(("1", null), (open.Schema!.Minimum, open.Schema.Maximum));
        Assert.Equal("date", date.Schema!.Format);
    }

    [Fact]
    public void A_declaration_without_its_parameter_stops_the_document()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new QueryValueMetadata.Filter().Apply(
            new OpenApiOperation { Parameters = [] }, Context(new IntegerParameter("limit", 50, 1, 1000))));

        Assert.Contains("'limit'", error.Message);
    }
}

/// <summary>
/// The served document against the declarations the endpoints carry, and the service against the document: every
/// declaration of every endpoint is read from its metadata, so a new one is covered without a new test.
/// </summary>
public sealed class OpenApiQueryTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>Each documented GET with the declarations of its query values, as the document names its path.</summary>
    private List<(string Path, List<IQueryValue> Values)> Declared() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true && e.Metadata.OfType<IQueryValue>().Any())
            .Select(e => ("/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.OfType<IQueryValue>().ToList()))
            .ToList();

    private static JsonObject Parameter(JsonObject document, string path, string name) =>
        document["paths"]![path]!["get"]!["parameters"]!.AsArray().Select(p => p!.AsObject())
            .Single(p => p["in"]!.GetValue<string>() == "query" && p["name"]!.GetValue<string>() == name);

    private static List<string>? Strings(JsonNode? node) => node?.AsArray().Select(v => v!.GetValue<string>()).ToList();

    [Fact]
    public async Task Each_query_parameter_documents_the_values_bounds_default_format_and_requirement_its_declaration_checks()
    {
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var declared = Declared();

        Assert.Contains(declared, d => d.Path == "/api/v1/stats/totals");
        Assert.Contains(declared, d => d.Path == "/api/v1/exports/donations.parquet");
        foreach (var (path, values) in declared)
        {
            foreach (var value in values)
            {
                var parameter = Parameter(document, path, value.Name);
                var schema = parameter["schema"]!.AsObject();
                var where = $"{value.Name} on {path}";
                switch (value)
                {
                    case ChoiceParameter choice:
                        var listed = schema["type"]!.GetValue<string>() == "array" ? Strings(schema["items"]!["enum"]) : Strings(schema["enum"]);
                        if (listed is null)
                        {
                            Assert.True(choice.Many, $"{where} lists no values");
                            Assert.Contains($"Values: {string.Join(", ", choice.Values)}.", parameter["description"]!.GetValue<string>());
                        }
                        else Assert.True(choice.Values.SequenceEqual(listed), where);
                        Assert.Equal(choice.Absent, schema["default"]?.GetValue<string>());
                        Assert.Equal(choice.Required, parameter["required"]?.GetValue<bool>() ?? false);
                        Assert.Contains(QueryValueMetadata.AnyCase, parameter["description"]!.GetValue<string>());
                        break;
                    case IntegerParameter integer:
                        Assert.Equal(integer.Min, schema["minimum"]!.GetValue<int>());
                        Assert.Equal(integer.Max, schema["maximum"]?.GetValue<int>());
                        Assert.Equal(integer.Absent, schema["default"]!.GetValue<int>());
                        break;
                    case FormattedParameter formatted:
                        Assert.Equal(formatted.Format, schema["format"]!.GetValue<string>());
                        break;
                    default:
                        Assert.Fail($"{where}: the document cannot say what {value.GetType().Name} checks");
                        break;
                }
            }
        }
    }

    /// <summary>A query that satisfies the endpoint's required parameters other than <paramref name="except"/>, then <paramref name="extra"/>.</summary>
    private static string Url(string path, IEnumerable<IQueryValue> values, string? except, string? extra)
    {
        var required = values.OfType<ChoiceParameter>().Where(c => c.Required && c.Name != except).Select(c => $"{c.Name}={c.Values[0]}");
        var query = string.Join('&', required.Append(extra).Where(part => part is not null));
        return query.Length == 0 ? path : $"{path}?{query}";
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        var response = await app.Anonymous().GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_documented_value_and_bound_is_accepted_in_any_case_and_a_value_outside_them_or_a_missing_required_one_is_a_400()
    {
        var failures = new List<string>();
        async Task Expect(HttpStatusCode expected, string url, string name)
        {
            var (status, body) = await GetAsync(url);
            if (status != expected) failures.Add($"{url}: {(int)status}, expected {(int)expected}");
            else if (expected == HttpStatusCode.BadRequest && !body.Contains($"\"{name}\"", StringComparison.Ordinal)) failures.Add($"{url}: the 400 does not name {name}: {body}");
        }

        foreach (var (path, values) in Declared())
        {
            // Only the parameters the document requires: anything else absent is fine.
            await Expect(HttpStatusCode.OK, Url(path, values, null, null), "");
            foreach (var value in values)
            {
                string Query(string? extra) => Url(path, values, value.Name, extra);
                switch (value)
                {
                    case ChoiceParameter choice:
                        foreach (var allowed in choice.Values)
                        {
                            await Expect(HttpStatusCode.OK, Query($"{choice.Name}={Uri.EscapeDataString(allowed)}"), choice.Name);
                            await Expect(HttpStatusCode.OK, Query($"{choice.Name}={Uri.EscapeDataString(allowed.ToUpperInvariant())}"), choice.Name);
                        }
                        await Expect(HttpStatusCode.BadRequest, Query($"{choice.Name}=not-one-of-them"), choice.Name);
                        if (choice.Required) await Expect(HttpStatusCode.BadRequest, Query(null), choice.Name);
                        break;
                    case IntegerParameter integer:
                        string Number(int n) => Query($"{integer.Name}={n.ToString(CultureInfo.InvariantCulture)}");
                        await Expect(HttpStatusCode.OK, Number(integer.Min), integer.Name);
                        await Expect(HttpStatusCode.BadRequest, Number(integer.Min - 1), integer.Name);
                        if (integer.Max is { } max)
                        {
                            await Expect(HttpStatusCode.OK, Number(max), integer.Name);
                            await Expect(HttpStatusCode.BadRequest, Number(max + 1), integer.Name);
                        }
                        break;
                    case FormattedParameter formatted:
                        var sample = formatted.Format == "date" ? "2024-03-01" : "2024-03-01T00:00:00Z";
                        await Expect(HttpStatusCode.OK, Query($"{formatted.Name}={sample}"), formatted.Name);
                        // As a generated client writes a DateTimeOffset (Kiota: the round-trip "o" format) or a date.
                        var written = formatted.Format == "date" ? new DateOnly(2024, 3, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                            : new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).ToString("o", CultureInfo.InvariantCulture);
                        await Expect(HttpStatusCode.OK, Query($"{formatted.Name}={Uri.EscapeDataString(written)}"), formatted.Name);
                        await Expect(HttpStatusCode.BadRequest, Query($"{formatted.Name}=March"), formatted.Name);
                        break;
                }
            }
        }

        Assert.Empty(failures);
    }
}
