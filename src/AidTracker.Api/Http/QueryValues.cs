using System.Globalization;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

/// <summary>
/// A query parameter that takes a value of a closed set (an interval, a split, a grouping, a category): its name, what
/// one value is called in a problem, its values, and what an absent parameter means. Every such parameter refuses a
/// value the same way, "'week' is not an interval. Use one of: month, quarter, year.", as an error naming the parameter
/// added to the request's others, so that one response names them all. A value matches in any case and is returned
/// as declared (<see cref="WireNames"/>). Which parameters an endpoint takes at all is its handler's [FromQuery]
/// declarations (<see cref="QueryParameters"/>).
/// </summary>
/// <param name="name">The parameter, as the query string spells it.</param>
/// <param name="noun">One value, with its article, as a problem says it: "an interval", "a split".</param>
/// <param name="values">The values it takes.</param>
/// <param name="absent">The value an absent parameter means; null when absent means none.</param>
/// <param name="useOneOf">What a problem tells to use instead; by default "Use one of: " and the values.</param>
public sealed class ChoiceParameter(string name, string noun, WireNames values, string? absent = null, string? useOneOf = null) : IQueryValue
{
    public string Name => name;

    public WireNames Values => values;

    /// <summary>The value an absent parameter means; null when absent means none.</summary>
    public string? Absent => absent;

    /// <summary>
    /// The parameter is a comma list in one string (as <c>group_by</c>), read by <see cref="ParseList(string?, FieldErrors)"/>:
    /// the document gives it a pattern over the values. A list the query binds (as <c>status</c>) is not this: its items
    /// are enumerated as they are.
    /// </summary>
    public bool Many { get; init; }

    /// <summary>On a comma list in one string (<see cref="Many"/>), the most values its pattern takes; null when there is no limit.</summary>
    public int? MaxItems { get; init; }

    /// <summary>A request without the parameter, or with an empty list, is refused by <see cref="Parse"/> and <see cref="ParseList(IReadOnlyList{string}, FieldErrors)"/>.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// The declared form of <paramref name="given"/>, or the absent value when it is null; null, with an error naming
    /// the parameter, when it is none of the values, or absent and <see cref="Required"/>.
    /// </summary>
    public string? Parse(string? given, FieldErrors errors)
    {
        if (given is null)
        {
            if (!Required) return absent;
            errors.Add(name, Missing);
            return null;
        }
        if (values.TryMatch(given, out var value)) return value;
        errors.Add(name, $"'{given}' is not {noun}. {UseOneOf}");
        return null;
    }

    /// <summary>The items of a comma list in one string (<see cref="Many"/>), as <see cref="ParseList(IReadOnlyList{string}, FieldErrors)"/> reads them; none when it is absent or blank.</summary>
    public List<string>? ParseList(string? given, FieldErrors errors) =>
        ParseList(string.IsNullOrWhiteSpace(given) ? [] : given.Split(',', StringSplitOptions.TrimEntries), errors);

    /// <summary>
    /// Each of <paramref name="given"/> in its declared form (duplicates kept); null, with one error quoting every value
    /// that is none of the values, when there is any, or when there is none and the parameter is <see cref="Required"/>.
    /// </summary>
    public List<string>? ParseList(IReadOnlyList<string> given, FieldErrors errors)
    {
        if (given.Count == 0 && Required)
        {
            errors.Add(name, Missing);
            return null;
        }
        var unknown = given.Where(item => !values.TryMatch(item, out _)).ToList();
        if (unknown.Count == 0) return given.Select(item => values.Canonical(item)!).ToList();
        errors.Add(name, $"{string.Join(", ", unknown.Select(item => $"'{item}'"))} is not {noun}. {UseOneOf}");
        return null;
    }

    /// <summary>
    /// What the document gives a comma list in one string (<see cref="Many"/>): one value, then up to
    /// <see cref="MaxItems"/> in all after commas; the values as declared (the parser takes any case).
    /// </summary>
    public string Pattern
    {
        get
        {
            var value = $"(?:{string.Join('|', values.Select(System.Text.RegularExpressions.Regex.Escape))})";
            var more = MaxItems switch { null => "*", 2 => "?", { } max => $"{{0,{max - 1}}}" };
            return $"^{value}(?:,{value}){more}$";
        }
    }

    private string UseOneOf => useOneOf ?? values.UseOneOf;

    private string Missing => $"{name} is required. {UseOneOf}";
}

/// <summary>
/// A query parameter that takes a whole number from <paramref name="min"/> to <paramref name="max"/> (no upper bound
/// when null), and what an absent parameter means. Out of bounds, it is refused as <see cref="ChoiceParameter"/> refuses
/// a value: an error naming it, added to the request's others. A value that is not a number never gets here: binding
/// refuses it with a problem naming the parameter (<see cref="ApiExceptionHandler"/>).
/// </summary>
public sealed class IntegerParameter(string name, int absent, int min, int? max = null) : IQueryValue
{
    public string Name => name;

    public int Absent => absent;

    public int Min => min;

    public int? Max => max;

    /// <summary><paramref name="given"/>, or the absent value when it is null; null, with an error naming the parameter, out of bounds.</summary>
    public int? Parse(int? given, FieldErrors errors)
    {
        var value = given ?? absent;
        if (value >= min && (max is null || value <= max)) return value;
        errors.Add(name, max is null ? $"{name} must be at least {min}." : $"{name} must be between {min} and {max}.");
        return null;
    }
}

/// <summary>
/// The declaration that checks one query parameter's value: endpoint metadata, attached where the endpoint is mapped
/// (<see cref="QueryValueMetadata.WithQueryValues{TBuilder}(TBuilder, IQueryValue[])"/>), and written into the OpenAPI
/// document by <see cref="QueryValueMetadata.Filter"/>, so that the document says what the check refuses.
/// </summary>
public interface IQueryValue
{
    string Name { get; }
}

/// <summary>A query parameter whose value is parsed as a date (yyyy-MM-dd) or an RFC 3339 timestamp.</summary>
/// <param name="Format">The OpenAPI format: <c>date</c> or <c>date-time</c>.</param>
public sealed record FormattedParameter(string Name, string Format) : IQueryValue;

/// <summary>
/// A parameter (of the query, the path or a header) whose text has a shape outside which it is refused, or can never
/// name anything: an ECMA-262 <paramref name="Pattern"/> (the subset .NET reads alike) and a maximum length, of each
/// item on a list, which takes at most <see cref="MaxItems"/> items.
/// </summary>
public sealed record TextParameter(string Name, string? Pattern = null, int? MaxLength = null) : IQueryValue
{
    /// <summary>On a list, the most items it takes; null when there is no limit.</summary>
    public int? MaxItems { get; init; }
}

/// <summary>
/// A <c>sort</c> parameter: one or more of <paramref name="Keys"/>, comma-separated, each with '-' for descending, as
/// <see cref="SortList.Parse"/> reads it. The document gets a pattern built from the keys (a schema's enum cannot
/// describe a comma list with prefixes) and the keys in the description.
/// </summary>
public sealed record SortParameter(string Name, SortList Keys) : IQueryValue
{
    /// <summary>One key, optionally descending, then any more after commas; the keys as declared (the parser takes any case).</summary>
    public string Pattern
    {
        get
        {
            var key = $"-?(?:{string.Join('|', Keys.Names.Select(System.Text.RegularExpressions.Regex.Escape))})";
            return $"^{key}(?:,{key})*$";
        }
    }

    /// <summary>What the document adds to the parameter's description: the keys.</summary>
    public string Description => $"Keys: {string.Join(", ", Keys.Names)}.";
}

/// <summary>Attaches the declarations that check an endpoint's query parameters, and writes them into its operation.</summary>
public static class QueryValueMetadata
{
    /// <summary>
    /// What a list's description says of its form: the repeated parameter is what its schema (an array) describes; a
    /// comma list in one value is taken too, which the schema's item pattern or enum does not admit.
    /// </summary>
    public const string Repeated = "Repeat the parameter for each value; a comma list in one value is also accepted.";

    /// <summary>What the document adds to the description of a closed set: the wire rule of <see cref="WireNames"/>.</summary>
    public const string AnyCase = "Matched in any case; the listed form is the one the API writes.";

    /// <summary>
    /// The endpoint checks these parameters by these declarations: query parameters, and the path and header parameters
    /// a <see cref="TextParameter"/> shapes.
    /// </summary>
    public static TBuilder WithQueryValues<TBuilder>(this TBuilder builder, params IQueryValue[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. values]);

    /// <summary>The values of a closed set as a schema's <c>enum</c>, in the declared form.</summary>
    public static List<JsonNode> Enum(WireNames values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    /// <summary>
    /// The items of a list over <paramref name="values"/>: a reference to the component enum when the set has one, else
    /// the enum inline. A C# enum's component is the generator's (<see cref="WireNames.Type"/>), whichever of the
    /// generator and this runs first; a set without one gets its component here (<see cref="WireNames.SchemaId"/>)
    /// unless a schema made it already. Either way the component must list the same values in the same order, or the
    /// document would say two things.
    /// </summary>
    public static IOpenApiSchema Items(WireNames values, ISchemaGenerator generator, SchemaRepository repository, OpenApiDocument? document)
    {
        var items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Enum(values) };
        string id;
        if (values.Type is { } type)
        {
            id = (generator.GenerateSchema(type, repository) as OpenApiSchemaReference)?.Reference.Id
                ?? throw new InvalidOperationException($"The schema of {type.Name} is not a component.");
        }
        else if (values.SchemaId is { } named)
        {
            id = named;
            if (!repository.Schemas.ContainsKey(id)) repository.AddDefinition(id, items);
        }
        else return items;
        if (repository.Schemas[id] is not OpenApiSchema { Enum: { } listed } || !listed.Select(v => v.GetValue<string>()).SequenceEqual(values))
            throw new InvalidOperationException($"The component schema {id} does not list the values of {string.Join(", ", values)}.");
        return new OpenApiSchemaReference(id, document);
    }

    /// <summary>
    /// For each <see cref="IQueryValue"/> of an endpoint, writes into its query parameter what the declaration checks:
    /// a choice's values as an <c>enum</c> (of the items, for a bound list; for a comma list in one string, which an enum
    /// cannot describe, as a pattern and in the description), its default and <c>required</c>; an integer's bounds and default; a
    /// date's format; a text's pattern, length and number of items (on a path or header parameter too); a sort's keys
    /// as a pattern and in the description. The enum lists the declared form; the description says any case is accepted. A declaration
    /// without its parameter is an error, so that a renamed parameter cannot leave the document silently behind.
    /// </summary>
    public sealed class Filter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var value in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IQueryValue>())
            {
                var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => Names(p, value))
                    ?? throw new InvalidOperationException($"{context.ApiDescription.RelativePath} declares the query value '{value.Name}' but has no such parameter.");
                var schema = (OpenApiSchema)(parameter.Schema ??= new OpenApiSchema { Type = JsonSchemaType.String });
                switch (value)
                {
                    case ChoiceParameter choice:
                        Describe(parameter, schema, choice, context);
                        break;
                    case IntegerParameter integer:
                        schema.Minimum = integer.Min.ToString(CultureInfo.InvariantCulture);
                        schema.Maximum = integer.Max?.ToString(CultureInfo.InvariantCulture);
                        schema.Default = JsonValue.Create(integer.Absent);
                        break;
                    case FormattedParameter formatted:
                        schema.Format = formatted.Format;
                        break;
                    case TextParameter text:
                        Shape(schema, text);
                        break;
                    case SortParameter sort:
                        schema.Pattern = sort.Pattern;
                        Say(parameter, schema, sort.Description);
                        break;
                }
            }
            // Every list in the query is bound the same way, so each says so once, here, and a response that echoes
            // the list (the stats filters) keeps its own description.
            foreach (var list in (operation.Parameters ?? []).OfType<OpenApiParameter>()
                .Where(p => p.In == ParameterLocation.Query && p.Schema is OpenApiSchema { Type: JsonSchemaType.Array }))
            {
                list.Description = Sentence(list.Description, Repeated);
                if (list.Schema is OpenApiSchema { Description: not null } listed) listed.Description = list.Description;
            }
        }

        /// <summary>A declaration names a query parameter, or one of the path or the headers (whose names are not case-sensitive) that only a <see cref="TextParameter"/> shapes.</summary>
        private static bool Names(OpenApiParameter parameter, IQueryValue value) => parameter.In switch
        {
            ParameterLocation.Query => parameter.Name == value.Name,
            ParameterLocation.Path => value is TextParameter && parameter.Name == value.Name,
            ParameterLocation.Header => value is TextParameter && string.Equals(parameter.Name, value.Name, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

        private static void Shape(OpenApiSchema schema, TextParameter text)
        {
            var list = schema.Type == JsonSchemaType.Array;
            if (text.MaxItems is { } maxItems && list) schema.MaxItems = maxItems;
            // The items of a list over a named set refer to its component enum, which says more than a pattern.
            if ((list ? schema.Items : schema) is not OpenApiSchema item) return;
            if (text.Pattern is not null) item.Pattern = text.Pattern;
            if (text.MaxLength is { } maxLength) item.MaxLength = maxLength;
        }

        private static void Describe(OpenApiParameter parameter, OpenApiSchema schema, ChoiceParameter choice, OperationFilterContext context)
        {
            if (choice.Required) parameter.Required = true;
            if (choice.Absent is { } absent) schema.Default = JsonValue.Create(absent);
            if (schema.Type == JsonSchemaType.Array && schema.Items is OpenApiSchema items)
            {
                schema.Items = Items(choice.Values, context.SchemaGenerator, context.SchemaRepository, context.Document);
            }
            else if (choice.Many)
            {
                schema.Pattern = choice.Pattern;
                parameter.Description = Sentence(parameter.Description,
                    $"Values: {string.Join(", ", choice.Values)}{(choice.MaxItems is { } most ? $"; at most {most}" : "")}.");
            }
            else
            {
                schema.Enum = Enum(choice.Values);
            }
            Say(parameter, schema);
        }

        /// <summary>Adds <paramref name="sentence"/>, if any, and the case rule to the parameter's description, and to its schema's where it has one.</summary>
        private static void Say(OpenApiParameter parameter, OpenApiSchema schema, string? sentence = null)
        {
            if (sentence is not null) parameter.Description = Sentence(parameter.Description, sentence);
            parameter.Description = Sentence(parameter.Description, AnyCase);
            if (schema.Description is not null) schema.Description = parameter.Description;
        }

        private static string Sentence(string? description, string sentence) =>
            string.IsNullOrEmpty(description) ? sentence : $"{description} {sentence}";
    }
}
