using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
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
    public void A_bound_list_gets_the_enum_on_its_items_and_a_comma_list_in_one_string_a_pattern_over_the_values_and_them_in_its_description()
    {
        var list = Query("colours", new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } });
        var commas = Query("pair", new OpenApiSchema { Type = JsonSchemaType.String }, "Two colours.");
        var any = Query("any", new OpenApiSchema { Type = JsonSchemaType.String });

        new QueryValueMetadata.Filter().Apply(new OpenApiOperation { Parameters = [list, commas, any] }, Context(
            new ChoiceParameter("colours", "a colour", Colours),
            new ChoiceParameter("pair", "a colour", Colours) { Many = true, MaxItems = 2, Required = true },
            new ChoiceParameter("any", "a colour", Colours) { Many = true }));

        Assert.Equal(["red", "green"], list.Schema!.Items!.Enum!.Select(v => v.GetValue<string>()));
        Assert.Null(list.Schema.Enum);
        Assert.Null(list.Schema.Pattern);
        Assert.Null(commas.Schema!.Enum);
        Assert.Equal("^(?:red|green)(?:,(?:red|green))?$", commas.Schema.Pattern);
        Assert.Equal("^(?:red|green)(?:,(?:red|green))*$", any.Schema!.Pattern);
        Assert.True(commas.Required);
        Assert.Equal($"Two colours. Values: red, green; at most 2. {QueryValueMetadata.AnyCase}", commas.Description);
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
    public void A_text_shapes_a_list_s_items_and_their_number_a_path_parameter_and_a_header_in_any_case_and_a_sort_gets_its_keys_as_a_pattern()
    {
        var list = Query("code", new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } });
        var path = new OpenApiParameter { Name = "id", In = ParameterLocation.Path, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        var header = new OpenApiParameter { Name = "Idempotency-Key", In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        var sort = Query("sort", new OpenApiSchema { Type = JsonSchemaType.String }, "Sort keys.");

        new QueryValueMetadata.Filter().Apply(new OpenApiOperation { Parameters = [list, path, header, sort] }, Context(
            new TextParameter("code", "^[A-Z]{3}$") { MaxItems = 10 }, new TextParameter("id", "^[a-z]+$", 64),
            new TextParameter("idempotency-key", MaxLength: 255), new SortParameter("sort", new SortList(["name", "size"]))));

        Assert.Equal(("^[A-Z]{3}$", 10, (string?)null), (list.Schema!.Items!.Pattern, list.Schema.MaxItems, list.Schema.Pattern));
        Assert.Equal(("^[a-z]+$", 64), (path.Schema!.Pattern, path.Schema.MaxLength));
        Assert.Equal(255, header.Schema!.MaxLength);
        Assert.Equal("^-?(?:name|size)(?:,-?(?:name|size))*$", sort.Schema!.Pattern);
        Assert.Equal($"Sort keys. Keys: name, size. {QueryValueMetadata.AnyCase}", sort.Description);
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
    /// <summary>Each documented GET with the declarations of its query values (not of its path), as the document names its path.</summary>
    private List<(string Path, List<IQueryValue> Values)> Declared() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => ("/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.OfType<IQueryValue>().Where(v => e.RoutePattern.GetParameter(v.Name) is null).ToList()))
            .Where(e => e.Item2.Count > 0)
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
                        var items = schema["items"];
                        if (items?["$ref"]?.GetValue<string>() is { } reference)
                        {
                            // A list over a named set refers to its one component enum, which lists the same values:
                            // a C# enum's, under the name the generator gives it, or the set's own.
                            Assert.True(choice.Values.Type is not null || choice.Values.SchemaId is not null, where);
                            Assert.Equal($"#/components/schemas/{choice.Values.SchemaId ?? choice.Values.Type!.Name}", reference);
                            items = document["components"]!["schemas"]![reference.Split('/')[^1]];
                        }
                        else Assert.True(choice.Values.Type is null && choice.Values.SchemaId is null, where);
                        var listed = schema["type"]!.GetValue<string>() == "array" ? Strings(items!["enum"]) : Strings(schema["enum"]);
                        if (listed is null)
                        {
                            Assert.True(choice.Many, $"{where} lists no values");
                            Assert.Equal(choice.Pattern, schema["pattern"]!.GetValue<string>());
                            Assert.Contains($"Values: {string.Join(", ", choice.Values)}", parameter["description"]!.GetValue<string>());
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
                    case TextParameter text:
                        var item = text.MaxItems is null ? schema : schema["items"]!.AsObject();
                        Assert.Equal(text.Pattern, item["pattern"]?.GetValue<string>());
                        Assert.Equal(text.MaxLength, item["maxLength"]?.GetValue<int>());
                        Assert.Equal(text.MaxItems, schema["maxItems"]?.GetValue<int>());
                        break;
                    case SortParameter sort:
                        Assert.Equal(sort.Pattern, schema["pattern"]!.GetValue<string>());
                        Assert.Contains(sort.Description, parameter["description"]!.GetValue<string>());
                        Assert.Contains(QueryValueMetadata.AnyCase, parameter["description"]!.GetValue<string>());
                        break;
                    default:
                        Assert.Fail($"{where}: the document cannot say what {value.GetType().Name} checks");
                        break;
                }
            }
        }
    }

    [Fact]
    public void Every_endpoint_that_binds_the_donation_filters_carries_their_declarations()
    {
        var bound = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.OfType<System.Reflection.MethodInfo>().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(DonationFilterQuery))))
            .ToList();

        var names = bound.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName).ToList();
        Assert.Contains("ListDonations", names);
        Assert.Contains("ExportDonationsParquet", names);
        Assert.True(bound.Count >= 7, $"only {bound.Count} endpoints bind the filters");
        foreach (var endpoint in bound)
        {
            var declared = endpoint.Metadata.OfType<IQueryValue>().ToList();
            Assert.True(DonationFilters.QueryValues.All(declared.Contains), $"{endpoint.RoutePattern.RawText} binds the donation filters without their declarations");
        }
    }

    [Fact]
    public void A_list_over_an_enum_refers_to_the_generator_s_component_whether_the_query_filter_or_the_generator_runs_first()
    {
        // Operations are generated in the order of their tags: a query filter may meet DonationStatus before any body does.
        var generator = app.Services.GetRequiredService<ISchemaGenerator>();
        var statuses = WireEnum<DonationStatus>.Names;

        var filterFirst = new SchemaRepository();
        var reference = QueryValueMetadata.Items(statuses, generator, filterFirst, document: null);
        var generated = generator.GenerateSchema(typeof(DonationStatus), filterFirst);
        var generatorFirst = new SchemaRepository();
        generator.GenerateSchema(typeof(DonationStatus), generatorFirst);
        var after = QueryValueMetadata.Items(statuses, generator, generatorFirst, document: null);

        foreach (var (repository, schema) in new[] { (filterFirst, reference), (generatorFirst, after) })
        {
            Assert.Equal(nameof(DonationStatus), Assert.IsType<OpenApiSchemaReference>(schema).Reference.Id);
            Assert.Equal(statuses, ((OpenApiSchema)repository.Schemas[nameof(DonationStatus)]).Enum!.Select(v => v.GetValue<string>()));
        }
        Assert.Equal(nameof(DonationStatus), Assert.IsType<OpenApiSchemaReference>(generated).Reference.Id);
    }

    [Fact]
    public void A_component_that_lists_other_values_than_its_set_stops_the_document_whichever_made_it()
    {
        var generator = app.Services.GetRequiredService<ISchemaGenerator>();
        var fewer = new WireNames(["announced", "delivered"]) { Type = typeof(DonationStatus) };
        Assert.Throws<InvalidOperationException>(() => QueryValueMetadata.Items(fewer, generator, new SchemaRepository(), document: null));

        var named = new SchemaRepository();
        QueryValueMetadata.Items(new WireNames(["a", "b"]) { SchemaId = "Letters" }, generator, named, document: null);
        Assert.Throws<InvalidOperationException>(() => QueryValueMetadata.Items(new WireNames(["a", "b", "c"]) { SchemaId = "Letters" }, generator, named, document: null));
    }

    [Fact]
    public void A_set_s_own_component_has_an_id_no_type_of_the_api_has_which_the_generator_could_write_first()
    {
        var id = AidTracker.Api.WeaponSystems.WeaponCategories.All.SchemaId!;

        Assert.DoesNotContain(typeof(DonationStatus).Assembly.GetTypes(), type => type.Name == id);
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
        var response = await app.Editor().GetAsync(url);
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
                        if (choice is { Many: true, MaxItems: { } most })
                        {
                            // As many values as the pattern takes are taken; one more, which it refuses, is refused.
                            var taken = string.Join(',', choice.Values.Take(most));
                            var more = string.Join(',', choice.Values.Take(most + 1));
                            Assert.Matches(choice.Pattern, taken);
                            Assert.DoesNotMatch(choice.Pattern, more);
                            await Expect(HttpStatusCode.OK, Query($"{choice.Name}={taken}"), choice.Name);
                            await Expect(HttpStatusCode.BadRequest, Query($"{choice.Name}={more}"), choice.Name);
                        }
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
                    case TextParameter text:
                        // What the shape leaves out is refused; that the shape takes every value the service holds is
                        // Each_path_and_header_shape_is_documented_and_takes_every_value_the_service_holds.
                        if (text.Pattern is not null)
                        {
                            Assert.DoesNotMatch(text.Pattern, "!");
                            await Expect(HttpStatusCode.BadRequest, Query($"{text.Name}=!"), text.Name);
                        }
                        if (text.MaxLength is { } maxLength) await Expect(HttpStatusCode.BadRequest, Query($"{text.Name}={new string('a', maxLength + 1)}"), text.Name);
                        if (text.MaxItems is { } maxItems)
                        {
                            // Distinct letter pairs, which every item pattern of codes takes, or distinct numbers for
                            // ids: only their number is wrong.
                            var items = Enumerable.Range(0, maxItems + 1).Select(i => $"{(char)('a' + i / 26)}{(char)('a' + i % 26)}").ToList();
                            if (text.Pattern is { } itemPattern && !System.Text.RegularExpressions.Regex.IsMatch("aa", itemPattern))
                            {
                                items = [.. Enumerable.Range(1, maxItems + 1).Select(i => i.ToString(CultureInfo.InvariantCulture))];
                            }
                            Assert.All(items, item => Assert.Matches(text.Pattern ?? "", item));
                            var (status, body) = await GetAsync(Query($"{text.Name}={string.Join(',', items)}"));
                            if (status != HttpStatusCode.BadRequest || !body.Contains($"at most {maxItems}", StringComparison.Ordinal)) failures.Add($"{maxItems + 1} items of {text.Name} on {path}: {(int)status} {body}");
                        }
                        break;
                    case SortParameter sort:
                        // A dimension sorts only when it is grouped: take it as the required choice that lists it.
                        string Sorted(string key, string sorted)
                        {
                            var grouping = values.OfType<ChoiceParameter>().FirstOrDefault(c => c.Required && c.Values.TryMatch(key, out _));
                            var query = $"{sort.Name}={sorted}" + (grouping is null ? "" : $"&{grouping.Name}={key}");
                            return grouping is null ? Query(query) : Url(path, values, grouping.Name, query);
                        }
                        foreach (var key in sort.Keys.Names)
                        {
                            foreach (var sorted in new[] { key, "-" + key, key.ToUpperInvariant() })
                            {
                                if (sorted != key.ToUpperInvariant()) Assert.Matches(sort.Pattern, sorted);
                                await Expect(HttpStatusCode.OK, Sorted(key, sorted), sort.Name);
                            }
                        }
                        foreach (var refused in new[] { "nonsense", "--count", "count,", " " })
                        {
                            Assert.DoesNotMatch(sort.Pattern, refused);
                            await Expect(HttpStatusCode.BadRequest, Query($"{sort.Name}={Uri.EscapeDataString(refused)}"), sort.Name);
                        }
                        break;
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Each_path_and_header_shape_is_documented_and_takes_every_value_the_service_holds()
    {
        var admin = app.Admin();
        var release = await admin.PostAsync("/api/v1/releases", Http.Json("""{"id":"v2026.11_shapes-1","title":"Shapes"}"""));
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var checkedPaths = new List<string>();

        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Where(m => m != "HEAD") ?? [])
            {
                foreach (var text in endpoint.Metadata.OfType<TextParameter>())
                {
                    var parameter = document["paths"]![path]![method.ToLowerInvariant()]!["parameters"]!.AsArray().Select(p => p!.AsObject())
                        .Single(p => string.Equals(p["name"]!.GetValue<string>(), text.Name, StringComparison.OrdinalIgnoreCase));
                    if (parameter["in"]!.GetValue<string>() == "query") continue;
                    Assert.Equal(text.Pattern, parameter["schema"]!["pattern"]?.GetValue<string>());
                    Assert.Equal(text.MaxLength, parameter["schema"]!["maxLength"]?.GetValue<int>());
                    if (parameter["in"]!.GetValue<string>() != "path" || method != "GET") continue;

                    // Every value the list beside it holds has the shape, in either case, and the service finds it by
                    // it; a value without the shape names nothing.
                    var held = await app.Anonymous().GetJsonAsync<JsonObject>(path[..path.IndexOf("/{", StringComparison.Ordinal)]);
                    var values = held["items"]!.AsArray().Select(item => item![text.Name]!.GetValue<string>()).ToList();
                    Assert.NotEmpty(values);
                    foreach (var value in values)
                    {
                        Assert.Matches(text.Pattern!, value);
                        Assert.Matches(text.Pattern!, value.ToUpperInvariant());
                        Assert.Matches(text.Pattern!, value.ToLowerInvariant());
                        Assert.True(text.MaxLength is null || value.Length <= text.MaxLength, value);
                    }
                    Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(endpoint.Path(new Dictionary<string, string> { [text.Name] = values[^1] }))).StatusCode);
                    Assert.DoesNotMatch(text.Pattern!, "a!");
                    await (await app.Anonymous().GetAsync(endpoint.Path(new Dictionary<string, string> { [text.Name] = "a!" }))).AssertProblemAsync(HttpStatusCode.NotFound);
                    checkedPaths.Add(path);
                }
            }
        }

        Assert.Equal(["/api/v1/countries/{code}", "/api/v1/releases/{id}", "/api/v1/weapon-systems/{id}"], checkedPaths.Order());
    }

    [Fact]
    public async Task The_idempotency_key_documented_is_the_one_taken_up_to_its_length_in_printable_ascii()
    {
        var key = AidTracker.Api.Donations.IdempotencyStore.KeyValue;
        async Task<HttpResponseMessage> Post(string idempotencyKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/donations") { Content = Http.Json(Donations.Valid()) };
            request.Headers.TryAddWithoutValidation(key.Name, idempotencyKey);
            return await app.Editor().SendAsync(request);
        }
        // A space inside, where no server trims it.
        var longest = new string('~', key.MaxLength!.Value / 2) + " " + new string('!', (key.MaxLength.Value - 1) / 2);
        Assert.Equal(key.MaxLength, longest.Length);

        Assert.Matches(key.Pattern!, longest);
        Assert.Equal(HttpStatusCode.Created, (await Post(longest)).StatusCode);
        Assert.DoesNotMatch(key.Pattern!, "a\tb");
        await (await Post("a\tb")).AssertProblemNamingAsync(key.Name);
        await (await Post(longest + "a")).AssertProblemNamingAsync(key.Name);
    }
}
