using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Http;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Tests;

/// <summary>The validator filter on its own (no HTTP): which rules it writes into a schema, and which it leaves out.</summary>
public sealed class ValidatorSchemaTests
{
    public sealed record Body(string? Code, string? Name, int? Count, decimal? Amount, string? Note);

    private sealed class BodyValidator : AbstractValidator<Body>
    {
        public BodyValidator()
        {
            RuleFor(x => x.Code).NotEmpty().Length(2, 4).Matches("^[A-Za-z]+$");
            RuleFor(x => x.Name).MaximumLength(10).When(x => x.Code is not null);
            RuleFor(x => x.Count).InclusiveBetween(1, 9);
            RuleFor(x => x.Amount).GreaterThan(0m).LessThan(5.5m).Must(a => a != 3m);
            RuleFor(x => x.Note).Must(n => n != "x").MaximumLength(20);
        }
    }

    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["name"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["count"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
            ["amount"] = new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null },
            ["note"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };

    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo Contract = new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    }.GetTypeInfo(typeof(Body));

    private static OpenApiSchema Property(OpenApiSchema schema, string name) => (OpenApiSchema)schema.Properties![name];

    [Fact]
    public void Unconditional_rules_with_constants_become_required_lengths_patterns_and_inclusive_or_exclusive_bounds()
    {
        var schema = Schema();
        ValidatorSchemas.Describe(new BodyValidator(), Contract, schema);

        Assert.Equal(["code"], schema.Required!);
        Assert.Equal(2, Property(schema, "code").MinLength);
        Assert.Equal(4, Property(schema, "code").MaxLength);
        Assert.Equal("^[A-Za-z]+$", Property(schema, "code").Pattern);
        Assert.Equal("1", Property(schema, "count").Minimum);
        Assert.Equal("9", Property(schema, "count").Maximum);
        Assert.Null(Property(schema, "count").ExclusiveMinimum);
        Assert.Equal("0", Property(schema, "amount").ExclusiveMinimum);
        Assert.Equal("5.5", Property(schema, "amount").ExclusiveMaximum);
        Assert.Null(Property(schema, "amount").Minimum);
        Assert.Equal(20, Property(schema, "note").MaxLength);
    }

    public sealed record Renamed([property: System.Text.Json.Serialization.JsonPropertyName("iso")] string? Code);

    private sealed class RenamedValidator : AbstractValidator<Renamed>
    {
        public RenamedValidator() => RuleFor(x => x.Code).MaximumLength(3);
    }

    [Fact]
    public void A_field_is_named_as_the_JSON_contract_names_it_and_one_the_schema_lacks_fails()
    {
        var contract = new System.Text.Json.JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() }.GetTypeInfo(typeof(Renamed));
        var schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["iso"] = new OpenApiSchema { Type = JsonSchemaType.String } } };

        ValidatorSchemas.Describe(new RenamedValidator(), contract, schema);
        var lacking = Assert.Throws<InvalidOperationException>(() => ValidatorSchemas.Describe(new BodyValidator(), Contract, new OpenApiSchema { Properties = new Dictionary<string, IOpenApiSchema>() }));

        Assert.Equal(3, Property(schema, "iso").MaxLength);
        Assert.Contains("has no 'code'", lacking.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_under_a_condition_is_left_out()
    {
        var schema = Schema();
        ValidatorSchemas.Describe(new BodyValidator(), Contract, schema);

        Assert.Null(Property(schema, "name").MaxLength);
    }
}

/// <summary>
/// The served document against the validators the service registers, and the service against the document: every rule
/// of every request validator is read from its descriptor, so a new rule is covered without a new test.
/// </summary>
public sealed class OpenApiBodyTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>Rules that are predicates or conditions: the document cannot express them, and does not try.</summary>
    // A child validator's rules are in the child's own schema (EvidenceRequest, DeliveryRequest), which this test checks too.
    private static readonly string[] Predicates = ["PredicateValidator", "AsyncPredicateValidator", "EnumValidator", "NullValidator", "ChildValidatorAdaptor"];

    /// <summary>Every request body type that a validator in the service's assembly checks, with the registered validator.</summary>
    private List<(Type Body, IValidator Validator)> Validated() =>
        typeof(ValidatorSchemas).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IValidator).IsAssignableFrom(t))
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct()
            .Select(body => (body, (IValidator)app.Services.GetRequiredService(typeof(IValidator<>).MakeGenericType(body))))
            .ToList();

    private static string Number(object value) => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture);

    private static string? Text(JsonNode? node) => node?.ToJsonString();

    [Fact]
    public async Task Each_request_body_documents_the_required_fields_lengths_patterns_and_bounds_its_validator_enforces()
    {
        var schemas = (await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json"))["components"]!["schemas"]!;
        var validated = Validated();
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        Assert.Equal(["CountryRequest", "DeliveryRequest", "DonationRequest", "EvidenceRequest", "ExtractionRequest", "NewDeliveryRequest", "PackageRequest", "ReleaseRequest", "ReviewRequest", "SourceRequest", "WeaponSystemRequest"], validated.Select(v => v.Body.Name).Order());

        foreach (var (body, validator) in validated)
        {
            var schema = schemas[body.Name]!.AsObject();
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
            var expressed = new Dictionary<string, HashSet<string>>();
            foreach (var rule in validator.CreateDescriptor().Rules)
            {
                var field = ValidatorSchemas.JsonName(options.GetTypeInfo(body), rule);
                var property = schema["properties"]![field]!.AsObject();
                var seen = expressed.TryGetValue(field, out var s) ? s : expressed[field] = [];
                var where = $"{field} of {body.Name}";
                foreach (var component in rule.Components)
                {
                    var v = component.Validator;
                    if (component.HasCondition || component.HasAsyncCondition || Predicates.Contains(v.Name))
                    {
                        continue;
                    }
                    var isString = property["type"]?.GetValue<string>() == "string";
                    switch (v)
                    {
                        case INotNullValidator or INotEmptyValidator:
                            Assert.True(required.Contains(field), $"{where} is not required");
                            if (v is INotEmptyValidator && isString)
                            {
                                Assert.True(property["minLength"]?.GetValue<int>() >= 1, $"{where}: NotEmpty, but minLength {property["minLength"]}");
                                seen.Add("minLength");
                            }
                            break;
                        case ILengthValidator length:
                            if (length.Max >= 0)
                            {
                                Assert.True(length.Max == property["maxLength"]?.GetValue<int>(), $"{where}: maxLength {property["maxLength"]}, the rule says {length.Max}");
                                seen.Add("maxLength");
                            }
                            if (length.Min > 0)
                            {
                                Assert.True(property["minLength"]?.GetValue<int>() >= length.Min, $"{where}: minLength {property["minLength"]}, the rule says {length.Min}");
                                seen.Add("minLength");
                            }
                            break;
                        case IRegularExpressionValidator regex:
                            Assert.True(regex.Expression == property["pattern"]?.GetValue<string>(), $"{where}: pattern {property["pattern"]}, the rule says {regex.Expression}");
                            seen.Add("pattern");
                            break;
                        case IBetweenValidator between:
                            var exclusive = v.Name == "ExclusiveBetweenValidator";
                            Assert.True(Number(between.From) == Text(property["minimum"]) && Number(between.To) == Text(property["maximum"]),
                                $"{where}: minimum {property["minimum"]} and maximum {property["maximum"]}, the rule says {between.From} to {between.To}");
                            Assert.Equal(exclusive, property["exclusiveMinimum"]?.GetValue<bool>() ?? false);
                            Assert.Equal(exclusive, property["exclusiveMaximum"]?.GetValue<bool>() ?? false);
                            seen.UnionWith(exclusive ? ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] : ["minimum", "maximum"]);
                            break;
                        case IComparisonValidator { Comparison: Comparison.GreaterThan or Comparison.GreaterThanOrEqual } low:
                            Assert.True(Number(low.ValueToCompare) == Text(property["minimum"]), $"{where}: minimum {property["minimum"]}, the rule says {low.ValueToCompare}");
                            Assert.Equal(low.Comparison == Comparison.GreaterThan, property["exclusiveMinimum"]?.GetValue<bool>() ?? false);
                            seen.UnionWith(low.Comparison == Comparison.GreaterThan ? ["minimum", "exclusiveMinimum"] : ["minimum"]);
                            break;
                        case IComparisonValidator { Comparison: Comparison.LessThan or Comparison.LessThanOrEqual } high:
                            Assert.True(Number(high.ValueToCompare) == Text(property["maximum"]), $"{where}: maximum {property["maximum"]}, the rule says {high.ValueToCompare}");
                            Assert.Equal(high.Comparison == Comparison.LessThan, property["exclusiveMaximum"]?.GetValue<bool>() ?? false);
                            seen.UnionWith(high.Comparison == Comparison.LessThan ? ["maximum", "exclusiveMaximum"] : ["maximum"]);
                            break;
                        default:
                            Assert.Fail($"{where}: the document does not express {v.Name}; teach ValidatorSchemas or list it as a predicate");
                            break;
                    }
                }
            }
            // And nothing more than the validator says.
            foreach (var (field, property) in schema["properties"]!.AsObject())
            {
                foreach (var keyword in new[] { "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" })
                {
                    if (property!.AsObject().ContainsKey(keyword))
                    {
                        Assert.True(expressed.TryGetValue(field, out var seen) && seen.Contains(keyword), $"{keyword} of {field} of {body.Name} comes from no rule");
                    }
                }
            }
        }
    }

    private Task<HttpResponseMessage> PostDonation(JsonObject body) => app.Editor().PostAsync("/api/v1/donations", Http.Json(body));

    [Fact]
    public async Task A_length_at_the_documented_maximum_is_accepted_and_one_more_is_refused_naming_the_field()
    {
        Assert.Equal(HttpStatusCode.Created, (await PostDonation(Donations.Valid().With("notes", new string('n', 4000)))).StatusCode);
        await (await PostDonation(Donations.Valid().With("notes", new string('n', 4001)))).AssertProblemNamingAsync("notes");
    }

    [Fact]
    public async Task A_number_at_the_documented_bounds_is_accepted_and_one_past_them_is_refused_naming_the_field()
    {
        Assert.Equal(HttpStatusCode.Created, (await PostDonation(Donations.Valid().With("quantity", 1_000_000_000_000L))).StatusCode);
        await (await PostDonation(Donations.Valid().With("quantity", 1_000_000_000_001L))).AssertProblemNamingAsync("quantity");
        // value_eur: minimum 0, inclusive.
        Assert.Equal(HttpStatusCode.Created, (await PostDonation(Donations.Valid().With("value_eur", 0))).StatusCode);
        await (await PostDonation(Donations.Valid().With("value_eur", -0.01m))).AssertProblemNamingAsync("value_eur");
        // quantity: minimum 0, exclusive.
        await (await PostDonation(Donations.Valid().With("quantity", 0))).AssertProblemNamingAsync("quantity");
    }

    [Fact]
    public async Task A_code_matching_the_documented_pattern_is_accepted_in_lower_case_and_one_outside_it_is_refused_naming_the_field()
    {
        var country = new JsonObject { ["code"] = "zqx", ["name"] = "Pattern test", ["kind"] = "organisation" };
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/countries", Http.Json(country))).StatusCode);
        await (await app.Admin().PostAsync("/api/v1/countries", Http.Json(country.With("code", "zqxwv")))).AssertProblemNamingAsync("code");
    }

    [Fact]
    public async Task A_body_without_a_documented_required_field_is_refused_naming_it()
    {
        await (await PostDonation(Donations.Valid().Without("evidence"))).AssertProblemNamingAsync("evidence");
    }
}
