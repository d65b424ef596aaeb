using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Imports;
using AidTracker.Api.WeaponSystems;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Tests;

/// <summary>The response schema filter on its own (no HTTP): what it reads from a JSON contract.</summary>
public sealed class ResponseSchemaTests
{
    public sealed record Row(
        string Name,
        string? Note,
        long? Count,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
        decimal Amount);

    [Fact]
    public void Written_always_is_required_nullable_only_where_the_getter_is_and_left_out_when_null_is_optional_and_never_null()
    {
        var options = new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["note"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["count"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
                ["key"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["amount"] = new OpenApiSchema { Type = JsonSchemaType.Number },
            },
        };

        ResponseSchemas.Describe(options.GetTypeInfo(typeof(Row)), schema);

        Assert.Equal(["amount", "count", "name", "note"], schema.Required!);
        Assert.Equal(JsonSchemaType.String, schema.Properties["name"].Type);
        Assert.Equal(JsonSchemaType.String | JsonSchemaType.Null, schema.Properties["note"].Type);
        Assert.Equal(JsonSchemaType.Integer | JsonSchemaType.Null, schema.Properties["count"].Type);
        Assert.Equal(JsonSchemaType.String, schema.Properties["key"].Type);
    }
}

/// <summary>
/// The served document against what the service really writes: real responses of every kind, each checked against
/// the schema its operation declares for its status (required members present, no member outside it, null only where
/// nullable), and the document's money, problem and filters schemas against the code they come from.
/// </summary>
public sealed class OpenApiResponseTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static async Task<JsonObject> DocumentAsync(ApiFixture app) => await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");

    internal static JsonObject Schemas(JsonObject document) => document["components"]!["schemas"]!.AsObject();

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => ($"{op.Key} {path.Key}", op.Value!.AsObject())));

    [Fact]
    public async Task Every_json_response_has_the_members_its_schema_requires_no_other_null_only_where_nullable_and_only_declared_headers()
    {
        var document = await DocumentAsync(app);
        var editor = app.Editor();
        var responses = new List<HttpResponseMessage>();
        async Task<HttpResponseMessage> Send(Task<HttpResponseMessage> sending)
        {
            var response = await sending;
            responses.Add(response);
            return response;
        }

        // A donation with every optional member set, and one with each of them null.
        var full = Donations.Valid().With("value_amount", 98765432109876.54m).With("value_currency", "EUR").With("value_eur", 1234.5m)
            .With("value_basis", "estimate").With("notes", "All set.").With("funder", "DEU").With("committed_on", "2022-04")
            .With("evidence", new JsonArray(Donations.Evidence().With("locator", "p. 2").With("credibility", 2)))
            .With("status", "partially_delivered").With("deliveries", new JsonArray(Donations.NewDelivery().Without("status").With("notes", "First."), Donations.NewDelivery("2023", 5).With("quantity_qualifier", "at_least")));
        var created = await Send(editor.PostAsync("/api/v1/donations", Http.Json(full)));
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();
        var added = await Send(editor.SendAsync(HttpMethod.Post, $"/api/v1/donations/{id}/deliveries", Http.Json(Donations.NewDelivery("2022-06", 1)), created.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var bare = await Send(editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid().Without("quantity").With("quantity_qualifier", "undisclosed").Without("announced_on"))));
        Assert.Equal(HttpStatusCode.Created, bare.StatusCode);
        await Send(editor.GetAsync($"/api/v1/donations/{id}"));
        await Send(editor.GetAsync($"/api/v1/donations/{(await bare.ReadObjectAsync())["id"]}"));
        await Send(editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(full.With("notes", "Changed.")), ifMatch: created.Headers.ETag!.ToString()));
        await Send(editor.GetAsync($"/api/v1/donations/{id}/history"));
        await Send(editor.GetAsync("/api/v1/donations?limit=2"));
        await Send(editor.GetAsync("/api/v1/donations?limit=2&sort=-value_eur&status=delivered"));

        // Stats with filters of each kind, so that filters echoes lists, dates, a search and a moment.
        var filters = $"donor=POL,usa&status=delivered&category=anti-tank&from=2022-01-01&to=2030-12-31&delivered_from=2022-01-01&as_of={DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-ddTHH:mm:ssZ}";
        var totals = await Send(editor.GetAsync($"/api/v1/stats/totals?group_by=donor,year&{filters}"));
        Assert.Equal(["as_of", "category", "delivered_from", "donor", "from", "status", "to"], (await totals.ReadObjectAsync())["filters"]!.AsObject().Select(f => f.Key));
        await Send(editor.GetAsync("/api/v1/stats/totals?group_by=weapon_system&q=javelin"));
        Assert.Equal(HttpStatusCode.OK, (await Send(editor.GetAsync($"/api/v1/stats/timeseries?split=donor&interval=year&{filters}"))).StatusCode);
        await Send(editor.GetAsync("/api/v1/stats/timeseries?date=delivered_on&cumulative=true&interval=year"));
        Assert.Equal(HttpStatusCode.OK, (await Send(editor.GetAsync($"/api/v1/stats/pledged-vs-delivered?by=category&{filters}"))).StatusCode);
        await Send(editor.GetAsync("/api/v1/stats/pledged-vs-delivered?status=cancelled"));

        // Reference data, releases, imports, health.
        await Send(editor.GetAsync("/api/v1/countries"));
        await Send(editor.GetAsync("/api/v1/countries/EU"));
        await Send(editor.GetAsync("/api/v1/weapon-systems"));
        await Send(editor.GetAsync("/api/v1/weapon-systems/fgm-148-javelin"));
        await Send(editor.GetAsync("/api/v1/codebook"));
        await Send(app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "responses-1", ["title"] = "Responses" })));
        await Send(app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "responses-2", ["title"] = "With notes", ["notes"] = "Noted." })));
        await Send(editor.GetAsync("/api/v1/releases"));
        await Send(editor.GetAsync("/api/v1/releases/responses-1"));
        var imported = await Send(editor.PostAsync("/api/v1/imports/donations", Csv("donor,recipient,weapon_system,status,announced_on,source,quote\nPOL,UKR,fgm-148-javelin,announced,2022-04-01,1,Imported\n")));
        await Send(editor.GetAsync(imported.Headers.Location!.ToString()));
        await Send(editor.GetAsync("/health/live"));
        await Send(editor.GetAsync("/health/ready"));
        Assert.Equal(HttpStatusCode.Created, (await Send(app.Admin().PostAsync("/api/v1/countries", Http.Json(new JsonObject { ["code"] = "RSPN", ["name"] = "Responses", ["kind"] = "organisation" })))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Send(app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(new JsonObject { ["id"] = "responses-launcher", ["name"] = "Responses launcher", ["category"] = "other" })))).StatusCode);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Keyed()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/donations") { Content = Http.Json(Donations.Valid()) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        await Send(editor.SendAsync(Keyed()));
        Assert.True((await Send(editor.SendAsync(Keyed()))).Headers.Contains("Idempotent-Replayed"));

        // Responses without a JSON body, for their headers only: files and 304s.
        var others = new List<HttpResponseMessage>
        {
            await editor.GetAsync("/api/v1/exports/donations.csv?donor=POL"),
            await editor.GetAsync("/api/v1/exports/donations.parquet"),
        };
        foreach (var url in new[] { $"/api/v1/donations/{id}", "/api/v1/exports/donations.csv?donor=POL" })
        {
            var conditional = new HttpRequestMessage(HttpMethod.Get, url);
            conditional.Headers.IfNoneMatch.Add((await editor.GetAsync(url)).Headers.ETag!);
            others.Add(await editor.SendAsync(conditional));
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotModified, HttpStatusCode.NotModified], others.Select(r => r.StatusCode));

        // Problems of every source: the handlers, validation, binding, the exception handler, ETags, the import.
        await Send(editor.GetAsync("/api/v1/donations/999999999"));
        await Send(editor.GetAsync("/api/v1/stats/totals"));
        await Send(editor.GetAsync("/api/v1/donations?limit=abc"));
        await Send(editor.PostAsync("/api/v1/donations", Http.Json(full.With("colour", "red"))));
        await Send(editor.PostAsync("/api/v1/donations", Http.Json(full.With("donor", "XXX"))));
        await Send(editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(full), ifMatch: "\"stale\""));
        await Send(editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(full)));
        await Send(app.Anonymous().PostAsync("/api/v1/donations", Http.Json(full)));
        await Send(app.WithKey(app.ReaderKey).PostAsync("/api/v1/donations", Http.Json(full)));
        Assert.True((await Send(app.WithKey("not-a-key").GetAsync("/api/v1/countries"))).Headers.WwwAuthenticate.Count > 0);
        await Send(editor.PostAsync("/api/v1/imports/donations", Csv("donor,recipient,weapon_system,status,announced_on,source\nXXX,UKR,nope,announced,2022-04-01,\n")));
        await Send(editor.PostAsync("/api/v1/imports/donations", new StringContent("{}", Encoding.UTF8, "application/json")));

        var statuses = responses.Select(r => (int)r.StatusCode).ToHashSet();
        Assert.Superset(new HashSet<int> { 200, 201, 400, 401, 403, 404, 412, 415, 422, 428 }, statuses);
        var failures = new List<string>();
        foreach (var response in responses)
        {
            var request = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} → {(int)response.StatusCode}";
            var schema = ResponseSchema(document, response) ?? throw new Xunit.Sdk.XunitException($"{request}: the document declares no JSON body for this response");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            Check(Schemas(document), schema, body, "$", failures, request);
        }
        failures.AddRange(responses.Concat(others).SelectMany(response => UndeclaredHeaders(document, response)));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_check_refuses_a_missing_required_member_an_undeclared_one_and_a_null_that_is_not_nullable()
    {
        var document = await DocumentAsync(app);
        var schema = JsonNode.Parse("""{"$ref": "#/components/schemas/DonationResponse"}""")!;
        var donation = (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).ReadObjectAsync();
        var valid = await donation;
        List<string> Failures(JsonObject body)
        {
            var failures = new List<string>();
            Check(Schemas(document), schema, body, "$", failures, "test");
            return failures;
        }

        Assert.Empty(Failures(valid));
        Assert.Contains(Failures(valid.Without("notes")), f => f.Contains("lacks required 'notes'", StringComparison.Ordinal));
        Assert.Contains(Failures(valid.With("colour", "red")), f => f.Contains("$.colour is not in the schema", StringComparison.Ordinal));
        Assert.Contains(Failures(valid.With("donor", null)), f => f.Contains("$.donor is null but not nullable", StringComparison.Ordinal));
        Assert.Empty(Failures(valid.With("notes", null)));
    }

    [Fact]
    public async Task Every_decimal_of_every_schema_is_a_number_with_format_decimal()
    {
        var schemas = Schemas(await DocumentAsync(app));
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var types = typeof(ResponseSchemas).Assembly.GetTypes().Where(type => schemas.ContainsKey(type.Name) && !type.IsEnum).ToList();

        var decimals = types
            .SelectMany(type => options.GetTypeInfo(type).Properties.Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(decimal))
                .Select(p => (Type: type.Name, p.Name)))
            .ToList();

        Assert.Contains(("DonationResponse", "value_amount"), decimals);
        Assert.Contains(("TotalsRow", "value_eur"), decimals);
        Assert.Contains(("TimeseriesPoint", "value_eur"), decimals);
        Assert.All(decimals, money =>
        {
            var property = schemas[money.Type]!["properties"]![money.Name]!;
            Assert.True(property["type"]?.GetValue<string>() == "number" && property["format"]?.GetValue<string>() == "decimal",
                $"{money.Type}.{money.Name} is {property.ToJsonString()}");
        });
    }

    [Fact]
    public async Task Every_problem_response_is_problem_json_referencing_Problem_or_the_schema_its_endpoint_declares_for_the_status()
    {
        var document = await DocumentAsync(app);
        var declared = StatusDocument.Operations(app)
            .SelectMany(op => op.Endpoint.Metadata.GetOrderedMetadata<ProblemResponses>().SelectMany(r => r.Statuses.Select(status => ($"{op.Name} {status}", r.Schema.Id))))
            .ToDictionary(pair => pair.Item1, pair => pair.Id);

        var problems = Operations(document)
            .SelectMany(op => op.Operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5').Select(r => (Where: $"{op.Name.Split(' ')[0].ToUpperInvariant()} {op.Name.Split(' ')[1]} {r.Key}", Response: r.Value!)))
            .ToList();

        Assert.True(problems.Count > 100);
        Assert.All(problems, problem =>
        {
            var content = problem.Response["content"]!.AsObject();
            var expected = declared.GetValueOrDefault(problem.Where, Problems.Default.Id);
            Assert.True(content.Count == 1 && content["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() == $"#/components/schemas/{expected}",
                $"{problem.Where}: {content.ToJsonString()}, not {expected}");
        });
        // The import's 413 and 422 list rows (its TooLarge and refused rows); its 400 names fields, as every other does.
        Assert.Equal(["POST /api/v1/imports/donations 413", "POST /api/v1/imports/donations 422"], declared.Where(d => d.Value == ImportEndpoints.RefusedImport.Id).Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Schemas(document), schema => schema.Key.Contains("ProblemDetails", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Problem_and_ImportProblem_have_the_same_RFC_9457_members_and_each_one_type_of_errors()
    {
        var schemas = Schemas(await DocumentAsync(app));
        var problem = schemas[Problems.Default.Id]!;
        var import = schemas[ImportEndpoints.RefusedImport.Id]!;
        string[] Members(JsonNode schema) => [.. schema["properties"]!.AsObject().Select(p => p.Key)];

        foreach (var schema in new[] { problem, import })
        {
            Assert.Equal(Problems.Always.Order(StringComparer.Ordinal), schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("string", schema["properties"]![Problems.TraceId.Name]!["type"]!.GetValue<string>());
            Assert.False(schema["additionalProperties"]!.GetValue<bool>());
            Assert.DoesNotContain("oneOf", schema.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.Equal(["type", "title", "status", "detail", "instance", "trace_id", "errors"], Members(problem));
        Assert.Equal([.. Members(problem), "error_count"], Members(import));
        Assert.Equal("#/components/schemas/FieldErrors", problem["properties"]!["errors"]!["$ref"]!.GetValue<string>());
        Assert.Equal("array", schemas["FieldErrors"]!["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/ImportError", import["properties"]!["errors"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.Equal("integer", import["properties"]!["error_count"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_second_type_under_a_member_of_one_problem_schema_is_refused_when_the_document_is_built()
    {
        using var conflicting = app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddProblemExtensions(new ProblemExtension("errors", typeof(int), "A second type of errors.", Problem: ImportEndpoints.RefusedImport))));

        var failure = Assert.Throws<InvalidOperationException>(() => conflicting.Services.GetRequiredService<Swashbuckle.AspNetCore.Swagger.ISwaggerProvider>().GetSwagger("v1"));

        Assert.Contains($"{ImportEndpoints.RefusedImport.Id} has 'errors' twice", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_filters_schema_has_one_member_per_filter_declaration_of_the_type_it_echoes()
    {
        var schemas = Schemas(await DocumentAsync(app));
        var applied = schemas[DonationFilters.AppliedSchemaId]!;

        Assert.Equal(DonationFilters.All.Select(f => f.Key).Order(StringComparer.Ordinal), applied["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(DonationFilters.All, filter =>
            Assert.Equal(filter is ListFilter ? "array" : "string", applied["properties"]![filter.Key]!["type"]!.GetValue<string>()));
        foreach (var response in new[] { "TotalsResponse", "TimeseriesResponse", "PledgedResponse" })
        {
            Assert.Equal($"#/components/schemas/{DonationFilters.AppliedSchemaId}", schemas[response]!["properties"]!["filters"]!["$ref"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_category_a_body_carries_references_the_WeaponCategory_enum_of_the_values_the_service_writes()
    {
        var schemas = Schemas(await DocumentAsync(app));
        var categories = schemas.Where(schema => schema.Value!["properties"]?["category"] is { } category && category["type"]?.GetValue<string>() != "array")
            .ToDictionary(schema => schema.Key, schema => schema.Value!["properties"]!["category"]!["$ref"]?.GetValue<string>());

        Assert.Equal(["DonationResponse", "TotalsRow", "WeaponSystemRequest", "WeaponSystemResponse"], categories.Keys.Order(StringComparer.Ordinal));
        Assert.All(categories, category => Assert.Equal($"#/components/schemas/{WeaponCategories.SchemaId}", category.Value));
        Assert.Equal(WeaponCategories.All, schemas[WeaponCategories.SchemaId]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task No_object_schema_is_both_a_request_body_and_part_of_a_response()
    {
        var document = await DocumentAsync(app);
        var schemas = Schemas(document);
        HashSet<string> Reached(Func<string, bool> section)
        {
            var reached = new HashSet<string>();
            foreach (var (_, operation) in Operations(document))
            {
                foreach (var part in operation.Where(p => section(p.Key))) Refs(part.Value, schemas, reached);
            }
            return reached;
        }

        var requests = Reached(key => key == "requestBody");
        var responses = Reached(key => key == "responses");

        Assert.Contains("DonationRequest", requests);
        Assert.Contains("DonationResponse", responses);
        var shared = requests.Intersect(responses).Where(id => schemas[id]!["type"]?.GetValue<string>() == "object").ToList();
        Assert.True(shared.Count == 0, $"Shared by a request and a response: {string.Join(", ", shared)}");
    }

    private static void Refs(JsonNode? node, JsonObject schemas, HashSet<string> reached)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"]?.GetValue<string>() is { } reference && reached.Add(reference.Split('/')[^1]))
                {
                    Refs(schemas[reference.Split('/')[^1]], schemas, reached);
                }
                foreach (var (_, value) in obj) Refs(value, schemas, reached);
                break;
            case JsonArray array:
                foreach (var item in array) Refs(item, schemas, reached);
                break;
        }
    }

    internal static ByteArrayContent Csv(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    /// <summary>The schema the document declares for this response's status and JSON media type, or null.</summary>
    internal static JsonNode? ResponseSchema(JsonObject document, HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return DeclaredResponse(document, response)?["content"]?.AsObject().FirstOrDefault(c => c.Key.Split(';')[0] == mediaType).Value?["schema"];
    }

    /// <summary>What the document declares for this response's operation and status (or its range, 3XX), or null.</summary>
    internal static JsonNode? DeclaredResponse(JsonObject document, HttpResponseMessage response)
    {
        var request = response.RequestMessage!;
        var path = request.RequestUri!.AbsolutePath;
        var operation = document["paths"]!.AsObject()
            .Where(p => Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"))
            .Select(p => p.Value![request.Method.Method.ToLowerInvariant()])
            .SingleOrDefault(op => op is not null);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return operation?["responses"]?[status] ?? operation?["responses"]?[$"{status[0]}XX"];
    }

    /// <summary>
    /// The headers a client can read (those CORS exposes, Hardening.ExposedHeaders, and the 401's challenge) that this
    /// response carries but the document does not declare on its operation and status.
    /// </summary>
    internal static IEnumerable<string> UndeclaredHeaders(JsonObject document, HttpResponseMessage response)
    {
        var readable = new HashSet<string>(Hardening.ExposedHeaders.Append("WWW-Authenticate"), StringComparer.OrdinalIgnoreCase);
        var declared = (DeclaredResponse(document, response)?["headers"]?.AsObject().Select(h => h.Key) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return response.Headers.Concat(response.Content.Headers).Select(h => h.Key)
            .Where(name => readable.Contains(name) && !declared.Contains(name))
            .Select(name => $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} → {(int)response.StatusCode} sends {name}, undeclared");
    }

    /// <summary>
    /// The parts of JSON Schema (OpenAPI 3.0) the document uses: $ref, type and nullable, required, properties and
    /// additionalProperties, items, enum and oneOf. Each mismatch is added to <paramref name="failures"/> with its path.
    /// </summary>
    internal static void Check(JsonObject schemas, JsonNode schema, JsonNode? value, string at, List<string> failures, string request)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(schemas, schemas[reference.Split('/')[^1]]!, value, at, failures, request);
            return;
        }
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.Count(option =>
            {
                var attempt = new List<string>();
                Check(schemas, option!, value, at, attempt, request);
                return attempt.Count == 0;
            });
            if (matches != 1) failures.Add($"{request}: {at} matches {matches} of oneOf: {value?.ToJsonString()}");
            return;
        }
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true) failures.Add($"{request}: {at} is null but not nullable");
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var fits = type switch
        {
            null => true,
            "object" => kind == System.Text.Json.JsonValueKind.Object,
            "array" => kind == System.Text.Json.JsonValueKind.Array,
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "integer" => kind == System.Text.Json.JsonValueKind.Number && !value.ToJsonString().Contains('.', StringComparison.Ordinal),
            "number" => kind == System.Text.Json.JsonValueKind.Number,
            _ => false,
        };
        if (!fits)
        {
            failures.Add($"{request}: {at} is {kind}, the schema says {type}");
            return;
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            failures.Add($"{request}: {at} is {value.ToJsonString()}, not one of {values.ToJsonString()}");
        }
        if (value is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++) Check(schemas, items, array[i], $"{at}[{i}]", failures, request);
        }
        if (value is not JsonObject obj) return;
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (!obj.ContainsKey(required!.GetValue<string>())) failures.Add($"{request}: {at} lacks required '{required}'");
        }
        foreach (var (name, member) in obj)
        {
            if (properties?[name] is { } property) Check(schemas, property, member, $"{at}.{name}", failures, request);
            else if (schema["additionalProperties"] is JsonObject { Count: > 0 } additional) Check(schemas, additional, member, $"{at}.{name}", failures, request);
            else if (schema["additionalProperties"] is JsonValue closed && !closed.GetValue<bool>()) failures.Add($"{request}: {at}.{name} is not in the schema");
            else if (properties is not null && schema["additionalProperties"] is null) failures.Add($"{request}: {at}.{name} is not in the schema (open)");
        }
    }
}

/// <summary>
/// The problems of the import, each of its kinds provoked (a body past Imports:MaxBytes needs the small limits), against
/// the two problem schemas: each validates against the schema its status declares and is refused by the other, so a
/// response that referenced the wrong one would fail here.
/// </summary>
public sealed class OpenApiProblemSchemaTests(SmallBodiesFixture app) : IClassFixture<SmallBodiesFixture>
{
    private const string Header = "donor,recipient,weapon_system,status,announced_on,quote,source\n";

    [Fact]
    public async Task Each_problem_validates_against_the_schema_its_status_declares_and_one_with_errors_is_refused_by_the_other()
    {
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var schemas = OpenApiResponseTests.Schemas(document);
        var editor = app.Editor();
        async Task<HttpResponseMessage> Import(string csv, string? key = null, string query = "")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/donations" + query) { Content = OpenApiResponseTests.Csv(csv) };
            if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            return await editor.SendAsync(request);
        }
        var reusedKey = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await Import(Header + "POL,UKR,fgm-148-javelin,announced,2022-04-01,First,1\n", reusedKey)).StatusCode);

        var cases = new (string Kind, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Schema)[]
        {
            ("bad rows", () => Import(Header + "XXX,UKR,nope,announced,2022-04-01,,\n"), HttpStatusCode.UnprocessableContent, ImportEndpoints.RefusedImport.Id),
            ("a reused Idempotency-Key", () => Import(Header + "POL,UKR,fgm-148-javelin,announced,2022-04-01,Other,1\n", reusedKey), HttpStatusCode.UnprocessableContent, ImportEndpoints.RefusedImport.Id),
            ("a file past Imports:MaxBytes", () => Import(Header + new string('x', SmallBodiesFixture.MaxImportBytes)), HttpStatusCode.RequestEntityTooLarge, ImportEndpoints.RefusedImport.Id),
            ("a bad Idempotency-Key", () => Import(Header, key: new string('k', 256)), HttpStatusCode.BadRequest, Problems.Default.Id),
            ("an unknown query parameter", () => Import(Header, query: "?colour=red"), HttpStatusCode.BadRequest, Problems.Default.Id),
            ("an invalid donation", () => editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("quantity", -1))), HttpStatusCode.BadRequest, Problems.Default.Id),
        };
        var failures = new List<string>();
        foreach (var (kind, send, status, expected) in cases)
        {
            var response = await send();
            var problem = await response.AssertProblemAsync(status);
            Assert.True(problem["errors"] is not null, $"{kind}: no errors in {problem.ToJsonString()}");
            var declared = OpenApiResponseTests.ResponseSchema(document, response)?["$ref"]?.GetValue<string>();
            Assert.True(declared == $"#/components/schemas/{expected}", $"{kind}: {(int)status} references {declared}, not {expected}");
            OpenApiResponseTests.Check(schemas, schemas[expected]!, problem, "$", failures, kind);
            var other = expected == Problems.Default.Id ? ImportEndpoints.RefusedImport.Id : Problems.Default.Id;
            var refused = new List<string>();
            OpenApiResponseTests.Check(schemas, schemas[other]!, problem, "$", refused, kind);
            Assert.True(refused.Count > 0, $"{kind}: its problem also fits {other}: {problem.ToJsonString()}");
        }
        Assert.Empty(failures);
    }
}
